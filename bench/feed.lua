-- wrk script: GET /api/vote (the feed) as distinct anonymous visitors.
local thread_counter = 0
function setup(thread)
  thread:set("tid", thread_counter)
  thread_counter = thread_counter + 1
end
function init(args)
  math.randomseed(os.time() * 1000 + tid)
  prefix = "wrk-feed/" .. tid .. "/" .. math.random(1, 1000000000) .. "/"
  n = 0
  headers = {}
end
function request()
  n = n + 1
  headers["User-Agent"] = prefix .. n
  return wrk.format("GET", "/api/vote?limit=8", headers)
end
