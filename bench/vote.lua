-- wrk script: POST /api/vote where every request is a different anonymous voter: the device
-- cookie is one the server does not vouch for, so the voter is the request's fingerprint, and a
-- unique User-Agent makes a unique one. Arguments: clip ids (comma-separated), the device
-- cookie, the CSRF token bound to its id, the Origin, a prefix telling wrk processes apart, and
-- "spread" to send each vote from its own address (X-Forwarded-For, for a server that trusts
-- the loopback as its proxy): many networks, as real voters come from, instead of one.
local thread_counter = 0
function setup(thread)
  thread:set("tid", thread_counter)
  thread_counter = thread_counter + 1
end

function init(args)
  clips = {}
  for id in string.gmatch(args[1], "%d+") do clips[#clips + 1] = id end
  headers = {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "aimoviez_device=" .. args[2],
    ["X-CSRF-Token"] = args[3],
    ["Origin"] = args[4],
  }
  math.randomseed(os.time() * 1000 + tid)
  -- args[5], when given, tells apart wrk processes started in the same second (same seed).
  prefix = "wrk/" .. (args[5] or "") .. tid .. "/" .. math.random(1, 1000000000) .. "/"
  n = 0
  spread = args[6] == "spread"
  base = tid * 4000000 + math.random(0, 3999999)
end

function request()
  n = n + 1
  headers["User-Agent"] = prefix .. n
  if spread then
    local a = (base + n) % 16777216
    headers["X-Forwarded-For"] = "10." .. math.floor(a / 65536) .. "." .. (math.floor(a / 256) % 256) .. "." .. (a % 256)
  end
  return wrk.format("POST", "/api/vote", headers, '{"clipId":' .. clips[(n % #clips) + 1] .. '}')
end
