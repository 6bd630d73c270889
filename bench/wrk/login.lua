-- POST /api/auth/login with correct passwords, cycling through the bench users the bench server created
-- (bench0..bench7, see BenchServer.Password).
dofile("report.lua")

local users = 8
local next_user = 0

function request()
  local user = next_user
  next_user = (next_user + 1) % users
  local body = string.format('{"username":"bench%d","password":"bench password number %02d"}', user, user)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
