-- POST /api/auth/refresh in bearer mode. Every refresh token is single-use, so the script keeps a pool of live
-- tokens (read from the file given after "--", more than there are connections): each request takes one, and
-- each response puts the successor it carries back. Chaining through a shared pool rather than per connection
-- keeps every session's chain strictly sequential (a token is in exactly one request at a time) without needing
-- connection identity, which wrk's Lua API does not expose.
dofile("report.lua")

local pool = {}

function init(args)
  for line in io.lines(args[1]) do
    pool[#pool + 1] = line
  end
end

function request()
  -- An empty pool (only after failed refreshes) sends a malformed token: a 401 that shows up as an error.
  local token = table.remove(pool) or "exhausted"
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, '{"refreshToken":"' .. token .. '"}')
end

function response(status, headers, body)
  local successor = body:match('"refreshToken":"([^"]+)"')
  if successor then
    pool[#pool + 1] = successor
  end
end
