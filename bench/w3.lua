-- W3: post a new comment through the real reply form, from many client
-- addresses (X-Forwarded-For, believed from the trusted proxy 127.0.0.1),
-- with distinct content each time. POST_ID and TOKEN come from run.sh.
local counter = 0
local thread = 0
setup = function(t)
  thread = thread + 1
  t:set("id", thread)
end
init = function(args)
  math.randomseed(os.time() + (id or 0))
end
request = function()
  counter = counter + 1
  local n = math.random(1, 2000000000)
  local ip = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  local body = "post_id=" .. os.getenv("POST_ID") ..
    "&author=Reader+" .. n .. "&email=reader" .. n .. "%40example.org" ..
    "&comment=I+enjoyed+this%2C+thought+number+" .. n .. "+" .. counter .. "+about+the+piano+scene." ..
    "&token=" .. os.getenv("TOKEN")
  return wrk.format("POST", "/comments", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-For"] = ip,
  }, body)
end
