-- A realistic mix for wrk: patients log pain and read their trends, clinicians read their
-- dashboard and a shared patient's trends. ops/load.py passes the signed-in sessions:
--   MIX_USERS  one line per session: role|cookie header|csrf token|a shared patient's id
--              (role: patient or clinician)
--   MIX_YEAR   the first day of the last year, for the one-year trend
-- Each request draws its kind by weight, then a session of the matching role.

local patients, clinicians = {}, {}
for line in (os.getenv("MIX_USERS") or ""):gmatch("[^\n]+") do
  local role, cookie, csrf, shared = line:match("^([^|]*)|([^|]*)|([^|]*)|([^|]*)$")
  local user = { cookie = cookie, csrf = csrf, shared = shared }
  if role == "clinician" then table.insert(clinicians, user) else table.insert(patients, user) end
end
local year = os.getenv("MIX_YEAR") or "2026-01-01"

local P = "/api/v1/patients/me"
local kinds = {
  -- weight, role, method, path, body?
  { 40, "patient", "POST", P .. "/entries", true },
  { 20, "patient", "GET", P .. "/trends/daily" },
  { 8, "patient", "GET", P .. "/trends/daily?from=" .. year },
  { 10, "patient", "GET", P .. "/entries?limit=20" },
  { 7, "patient", "GET", P .. "/trends/summary" },
  { 10, "clinician", "GET", "/api/v1/clinician/dashboard" },
  { 5, "clinician", "GET", "/api/v1/patients/{shared}/trends/daily" },
}
local total = 0
for _, kind in ipairs(kinds) do total = total + kind[1] end

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
  local pick, kind = math.random(1, total), nil
  for _, k in ipairs(kinds) do
    pick = pick - k[1]
    if pick <= 0 then kind = k break end
  end
  local pool = kind[2] == "clinician" and clinicians or patients
  local user = pool[math.random(1, #pool)]
  local headers = { ["Cookie"] = user.cookie }
  local body = nil
  if kind[3] ~= "GET" then headers["X-CSRFToken"] = user.csrf end
  if kind[5] then
    headers["Content-Type"] = "application/json"
    body = string.format('{"id": "%s", "intensity": %d}', uuid4(), math.random(0, 10))
  end
  local path = kind[4]:gsub("{shared}", user.shared)
  return wrk.format(kind[3], path, headers, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    "MIX requests=%d seconds=%.2f non2xx=%d connect=%d read=%d write=%d timeout=%d " ..
    "p50=%.2f p95=%.2f p99=%.2f max=%.2f\n",
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
