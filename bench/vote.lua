-- wrk script: POST /api/vote where every request is a different anonymous voter: the device
-- cookie is one the server does not vouch for, so the voter is the request's fingerprint, and a
-- unique User-Agent makes a unique one. Arguments: clip ids (comma-separated), the device
-- cookie, the CSRF token bound to its id, the Origin.
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
end

function request()
  n = n + 1
  headers["User-Agent"] = prefix .. n
  return wrk.format("POST", "/api/vote", headers, '{"clipId":' .. clips[(n % #clips) + 1] .. '}')
end
