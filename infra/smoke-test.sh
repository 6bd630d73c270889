#!/usr/bin/env bash
# Post-deploy smoke test: registers a throwaway user, logs in, validates, refreshes, validates, logs out, and checks
# that the server ended the session. Needs only bash (3.2 or later) and curl.
#
#   infra/smoke-test.sh [--bearer|--cookie] [--origin <frontend-origin>] <api-base-url>
#
# <api-base-url> is the deployment's apiBaseUrl output, e.g. https://func-abc123.azurewebsites.net/api.
# The token mode is read from the login response unless given. --origin also checks that a browser on that origin
# may call the API with credentials (CORS). Where registration is closed, set SMOKE_USERNAME and SMOKE_PASSWORD to
# an existing account; only the session this script opens is ended.
# A fresh deployment can answer 5xx for minutes while its Key Vault references wait for the role assignment to take
# effect: the script keeps asking for SMOKE_WAIT_SECONDS (default 600) every SMOKE_RETRY_SECONDS (default 10), and
# says what to do if that is not enough (restart the app).
# Exits 0 when every check passes, 1 at the first failure (printing the response), 2 on wrong usage.
set -euo pipefail

usage="usage: $0 [--bearer|--cookie] [--origin <frontend-origin>] <api-base-url>"
mode=""
origin=""
base_url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bearer) mode=bearer ;;
    --cookie) mode=cookie ;;
    --origin) [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }; origin="$2"; shift ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option: $1" >&2; echo "$usage" >&2; exit 2 ;;
    *) base_url="${1%/}" ;;
  esac
  shift
done
if [ -z "$base_url" ]; then
  echo "$usage" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
jar="$work/cookies"
body="$work/body"
touch "$jar"
access_token=""
refresh_token=""
passed=0

# call METHOD PATH JSON [curl args...]: sends the cookies in $jar and keeps the ones the API sets; sets $status,
# leaves the response body in $body. An empty JSON sends no body.
call() {
  local method="$1" path="$2" json="$3"
  shift 3
  local args=(-sS -o "$body" -w '%{http_code}' -X "$method" -b "$jar" -c "$jar" --max-time 60
    -H 'Accept: application/json' -A 'funcsessions-smoke-test')
  if [ -n "$json" ]; then
    args+=(-H 'Content-Type: application/json' --data "$json")
  fi
  status="$(curl "${args[@]}" "$@" "$base_url/auth/$path")" || status="000"
}

fail() {
  echo "FAIL $1" >&2
  if [ -s "$body" ]; then
    cat "$body" >&2
    echo >&2
  fi
  exit 1
}

expect() {
  [ "$status" = "$2" ] || fail "$1: expected HTTP $2, got $status"
  passed=$((passed + 1))
  echo "ok   $1 ($status)"
}

# A top-level string member of the JSON response (tokens, ids and the test's username hold no quotes or escapes).
json_member() {
  sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$body"
}

# The header that carries the access token: Authorization in bearer mode; in cookie mode the cookie jar does.
auth_header() {
  if [ "$mode" = bearer ]; then
    echo "Authorization: Bearer $access_token"
  else
    echo "X-Smoke-Test: cookie-mode"
  fi
}

refresh_body() {
  if [ "$mode" = bearer ]; then
    printf '{"refreshToken":"%s"}' "$refresh_token"
  else
    printf '{}'
  fi
}

random_hex() {
  head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'
}

# A Flex Consumption app scaled to zero takes a while to answer its first request, and a fresh deployment answers 5xx
# until its Key Vault references resolve. The JWKS also proves that the signing key came out of Key Vault: the app
# does not start without it.
wait_seconds="${SMOKE_WAIT_SECONDS:-600}"
retry_seconds="${SMOKE_RETRY_SECONDS:-10}"
waited=0
while :; do
  call GET jwks ""
  [ "$status" = 200 ] && break
  if [ "$waited" -ge "$wait_seconds" ]; then
    case "$status" in
      5??|000)
        echo "     The app still answers $status after ${waited} s. On a fresh deployment this is usually the Key Vault" >&2
        echo "     references: the app started before its role assignment ('Key Vault Secrets User') took effect, and it" >&2
        echo "     keeps the unresolved reference until it restarts. Restart it, then run this script again:" >&2
        echo "       az functionapp restart --resource-group <resource-group> --name <function-app>" >&2
        echo "     (docs/deploy.md, smoke test). If it persists, the app's log stream names the setting it refused." >&2
        ;;
    esac
    break
  fi
  # Note: no answer at all (000) is retried for a minute only, so a mistyped URL fails quickly.
  [ "$status" != 000 ] || [ "$waited" -lt 60 ] || break
  case "$status" in
    5??|000) echo "     jwks answered $status (not up yet: cold start, or Key Vault references not resolved yet); retrying in ${retry_seconds} s (${waited}/${wait_seconds} s)" >&2 ;;
    *) break ;;
  esac
  sleep "$retry_seconds"
  waited=$((waited + retry_seconds))
done
expect "jwks" 200
grep -q '"keys"' "$body" || fail "jwks: the response has no keys"

if [ -n "$origin" ]; then
  headers="$work/headers"
  status="$(curl -sS -o "$body" -D "$headers" -w '%{http_code}' -X OPTIONS --max-time 60 -H "Origin: $origin" \
    -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type' \
    "$base_url/auth/login")" || status="000"
  case "$status" in 2??) ;; *) fail "CORS preflight from $origin: HTTP $status" ;; esac
  tr -d '\r' < "$headers" | grep -qixF "access-control-allow-origin: $origin" \
    || fail "CORS preflight: $origin is not an allowed origin (allowedOrigins parameter)"
  tr -d '\r' < "$headers" | grep -qixF 'access-control-allow-credentials: true' \
    || fail "CORS preflight: credentials are not allowed"
  passed=$((passed + 1))
  echo "ok   CORS preflight from $origin ($status)"
fi

username="${SMOKE_USERNAME:-smoke-$(random_hex 8)}"
password="${SMOKE_PASSWORD:-smoke-$(random_hex 16)}"
credentials="$(printf '{"username":"%s","password":"%s"}' "$username" "$password")"

if [ -z "${SMOKE_USERNAME:-}" ]; then
  call POST register "$credentials"
  # Note: 202 whether or not the name was free (no enumeration); older servers answered 201.
  [ "$status" != 201 ] || status=202
  expect "register $username" 202
fi

call POST login "$credentials"
expect "login" 200
access_token="$(json_member accessToken)"
refresh_token="$(json_member refreshToken)"
if [ -z "$mode" ]; then
  mode=cookie
  [ -z "$access_token" ] || mode=bearer
fi
echo "     token mode: $mode"
if [ "$mode" = bearer ]; then
  [ -n "$access_token" ] && [ -n "$refresh_token" ] || fail "login: bearer mode, but no accessToken/refreshToken in the response"
else
  grep -q '__Host-fs-at' "$jar" || fail "login: cookie mode, but no __Host-fs-at cookie was kept (is the API served over https?)"
fi

call GET validate "" -H "$(auth_header)"
expect "validate" 200
[ "$(json_member username)" = "$username" ] || fail "validate: the session is not $username's"
session_id="$(json_member sessionId)"

old_refresh_token="$refresh_token"
call POST refresh "$(refresh_body)"
expect "refresh" 200
if [ "$mode" = bearer ]; then
  access_token="$(json_member accessToken)"
  refresh_token="$(json_member refreshToken)"
  [ -n "$refresh_token" ] && [ "$refresh_token" != "$old_refresh_token" ] || fail "refresh: the refresh token was not rotated"
fi

call GET validate "" -H "$(auth_header)"
expect "validate after refresh" 200
[ "$(json_member sessionId)" = "$session_id" ] || fail "validate after refresh: the session changed"

# Keep the tokens the client held before logging out: presenting them again must fail because the server ended the
# session, not merely because the logout response cleared the cookies.
cp "$jar" "$work/cookies-before-logout"
call POST logout "$(refresh_body)" -H "$(auth_header)"
expect "logout" 204
cp "$work/cookies-before-logout" "$jar"

call GET validate "" -H "$(auth_header)"
expect "validate after logout" 401

call POST refresh "$(refresh_body)"
expect "refresh after logout" 401

echo "smoke test passed: $passed checks against $base_url ($mode mode)"
