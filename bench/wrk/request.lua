-- One request shape for wrk, told by the environment (bench/wrk.py sets it):
--   WRK_METHOD      GET, POST ...
--   WRK_BODY        the body (JSON), sent as it is
--   WRK_HEADERS     "Name: value" lines: the session cookie, X-CSRFToken, Content-Type
--   WRK_CLIENT_IDS  "1" puts a fresh random UUID v4 "id" into each JSON body, as the
--                   offline client does; otherwise the server makes the id.
wrk.method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY") or ""
if body ~= "" then
  wrk.body = body
end
for line in (os.getenv("WRK_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end

if os.getenv("WRK_CLIENT_IDS") == "1" and body ~= "" then
  local next_thread = 0

  function setup(thread)
    thread:set("thread_number", next_thread)
    next_thread = next_thread + 1
  end

  function init(args)
    math.randomseed(os.time() * 1000 + (thread_number or 0) * 7919)
  end

  local function uuid4()
    return (("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"):gsub("[xy]", function(c)
      local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
      return string.format("%x", v)
    end))
  end

  function request()
    local with_id = body:gsub("^{", '{"id": "' .. uuid4() .. '", ', 1)
    return wrk.format(nil, nil, nil, with_id)
  end
end
