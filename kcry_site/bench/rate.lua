-- wrk script for rating POSTs: each request is one logged-in member (session and CSRF
-- cookies from the file named by KCRY_BENCH_SESSIONS) rating a random work.
local members = {}
local slugs = {}

init = function(args)
  for line in io.lines(os.getenv("KCRY_BENCH_SESSIONS")) do
    local session, csrf = line:match("^(%S+) (%S+)$")
    table.insert(members, {session = session, csrf = csrf})
  end
  for line in io.lines(os.getenv("KCRY_BENCH_SLUGS")) do
    table.insert(slugs, line)
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

request = function()
  local member = members[math.random(#members)]
  local slug = slugs[math.random(#slugs)]
  local headers = {
    ["Cookie"] = "sessionid=" .. member.session .. "; csrftoken=" .. member.csrf,
    ["X-CSRFToken"] = member.csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Referer"] = "http://127.0.0.1/works/" .. slug .. "/",
  }
  return wrk.format("POST", "/works/" .. slug .. "/rating/", headers, "tears=" .. math.random(0, 5))
end
-- The figures line is the same as for every other page.
dofile(os.getenv("KCRY_BENCH_DIR") .. "/report.lua")
