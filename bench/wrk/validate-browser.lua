-- GET /api/auth/validate as a browser on a same-site frontend sends it in cookie mode: the three cookies login set (the
-- access token, the refresh token and the presence hint, which the browser sends along because all have Path=/) and an Origin header
-- (the page's origin, allowlisted in the bench server). Arguments after "--": a file of sessions, one
-- "accessToken refreshToken" pair per line, used round-robin (one line is the single-session case), and the origin.
-- Note: every request is formatted once in init, so wrk's Lua costs no more per request than static headers do.
dofile("report.lua")

local requests = {}
local next_request = 0

function init(args)
  local origin = args[2]
  for line in io.lines(args[1]) do
    local access, refresh = line:match("^(%S+) (%S+)")
    requests[#requests + 1] = wrk.format("GET", nil, {
      ["Cookie"] = "__Host-fs-at=" .. access .. "; __Host-fs-rt=" .. refresh .. "; __Host-fs-present=1",
      ["Origin"] = origin,
      ["Accept"] = "application/json",
      ["Sec-Fetch-Site"] = "same-site",
      ["Sec-Fetch-Mode"] = "cors",
    })
  end
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end
