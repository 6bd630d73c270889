-- POST /password-check: the password verification login performs, alone (bench-only endpoint).
dofile("report.lua")

wrk.method = "POST"
