-- wrk script for pages as a logged-in member: every request carries the session cookie
-- named by KCRY_BENCH_SESSION (members are never served from the anonymous page cache).
wrk.headers["Cookie"] = "sessionid=" .. os.getenv("KCRY_BENCH_SESSION")
dofile(os.getenv("KCRY_BENCH_DIR") .. "/report.lua")
