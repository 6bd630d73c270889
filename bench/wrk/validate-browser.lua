-- GET /api/auth/validate as a browser on a same-site frontend sends it in cookie mode: both __Host- cookies (the
-- access token and the refresh token, which the browser sends along because both have Path=/) and an Origin header
-- (the page's origin, allowlisted in the bench server). Arguments after "--": a file of sessions, one
-- "accessToken refreshToken" pair per line, used round-robin (one line is the single-session case), and the origin.
dofile("report.lua")

local cookies = {}
local next_session = 0
local origin

function init(args)
  origin = args[2]
  for line in io.lines(args[1]) do
    local access, refresh = line:match("^(%S+) (%S+)")
    cookies[#cookies + 1] = "__Host-fs-at=" .. access .. "; __Host-fs-rt=" .. refresh
  end
end

function request()
  next_session = next_session % #cookies + 1
  return wrk.format("GET", nil, {
    ["Cookie"] = cookies[next_session],
    ["Origin"] = origin,
    ["Accept"] = "application/json",
    ["Sec-Fetch-Site"] = "same-site",
    ["Sec-Fetch-Mode"] = "cors",
  })
end
