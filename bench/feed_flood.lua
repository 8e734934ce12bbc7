-- wrk script for the hostile-read soak: the feed read by identities that cost nothing. Two of
-- every three requests read the feed as a brand-new fingerprint (a unique User-Agent, no
-- cookie); the third fetches /api/csrf for a fresh signed device cookie, and the next
-- fingerprint read carries the newest such cookie instead, so remembered readers are churned
-- too. Every request comes from the same address.
local thread_counter = 0
function setup(thread)
  thread:set("tid", thread_counter)
  thread_counter = thread_counter + 1
end
function init(args)
  math.randomseed(os.time() * 1000 + tid)
  prefix = "flood/" .. tid .. "/" .. math.random(1, 1000000000) .. "/"
  n = 0
  cookie = nil
end
function request()
  n = n + 1
  local headers = { ["User-Agent"] = prefix .. n }
  if n % 3 == 0 then return wrk.format("GET", "/api/csrf", headers) end
  if n % 3 == 1 and cookie then headers["Cookie"] = cookie end
  return wrk.format("GET", "/api/vote?limit=8", headers)
end
function response(status, headers, body)
  local set = headers["Set-Cookie"]
  if set then cookie = string.match(set, "^(aimoviez_device=[^;]+)") or cookie end
end
