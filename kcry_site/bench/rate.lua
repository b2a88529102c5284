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

-- As votes/static/votes/rating.js posts a click on a tear button: the form's fields
-- (CSRF token and the button's value) as multipart FormData, asking for JSON.
local boundary = "kcrybenchboundary"

local function field(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name
    .. "\"\r\n\r\n" .. value .. "\r\n"
end

request = function()
  local member = members[math.random(#members)]
  local slug = slugs[math.random(#slugs)]
  local headers = {
    ["Cookie"] = "sessionid=" .. member.session .. "; csrftoken=" .. member.csrf,
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
    ["Accept"] = "application/json",
    ["X-Requested-With"] = "fetch",
    ["Referer"] = "http://127.0.0.1/works/" .. slug .. "/",
  }
  local body = field("csrfmiddlewaretoken", member.csrf) .. field("tears", math.random(0, 5))
    .. "--" .. boundary .. "--\r\n"
  return wrk.format("POST", "/works/" .. slug .. "/rating/", headers, body)
end
-- The figures line is the same as for every other page.
dofile(os.getenv("KCRY_BENCH_DIR") .. "/report.lua")
