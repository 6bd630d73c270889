#!/usr/bin/env bash
# Browser tests of the sample page and the JS client in a real Chromium (Debian's chromium, driven by
# playwright-core from npm) against the self-host (Release build), a real Azurite (tables and the mail queue) and
# MailDev (a real SMTP server whose REST API the tests read mail from), all on free ports with a fresh table prefix; both
# self-hosts offer the local OpenID provider (tests/oidc-provider) as "local", which the tests start themselves on the
# free port named in FUNCSESSIONS_OIDC_PORT. Installs chromium (apt-get) and the npm packages when missing. Screenshots and the server
# log go to artifacts/browser/. Extra arguments go to `node --test` (e.g. --test-name-pattern=revoke).
# Installing chromium needs root (apt-get, through sudo when not root).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/azurite.sh"
cd "$repo_root"

# CHROMIUM_PATH chooses another Chromium; only the default (Debian's chromium package) is installed when missing.
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ] && [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$chromium is not an executable." >&2
  exit 1
fi
if [ ! -x "$chromium" ]; then
  echo "Installing chromium (apt-get)..." >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq chromium >&2
fi

ensure_azurite
ensure_oidc_provider
if [ ! -d node_modules/playwright-core ]; then
  (npm ci --no-audit --no-fund >&2)
fi

dotnet build src/FuncSessions.Host -c Release --nologo -v quiet

artifacts="$repo_root/artifacts/browser"
rm -rf "$artifacts"
mkdir -p "$artifacts"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$work" ${maildev_dir:+"$maildev_dir"}
}
trap cleanup EXIT INT TERM

start_azurite
pids+=("$azurite_pid")
start_azurite_queue
pids+=("$azurite_queue_pid")
start_maildev
pids+=("$maildev_pid")

# Second factors and passkeys: a throwaway key for this run; the relying party is the page's host (http://localhost is
# a secure context, as WebAuthn needs) and the only origin allowed is the test server's own.
factor_key="$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64"))')"

# Note: taken together, so the provider's port (bound only once a test starts it) is none of the self-hosts'.
read -r oidc_port cookie_port bearer_port <<<"$(free_ports 3)"

# Starts the self-host with token transport $1 on port $3, logging to $2; sets host_url.
start_host() {
  host_url="http://localhost:$3"
  # Note: JSON console logs, so the tests can count the server's refresh-token rotations (event 2002) per step.
  local mail_arguments
  read -ra mail_arguments <<<"$(maildev_host_arguments "$host_url")"
  AzureWebJobsStorage="$(azurite_connection_string "$azurite_port" "$azurite_queue_port")" \
  FuncSessions__Storage__TablePrefix="Browser$1$(date +%s)$RANDOM" \
  FuncSessionsMailQueue="browser$(date +%s)$RANDOM" \
  FuncSessions__Tokens__DevelopmentKeyFile="$work/signing-key-$1.json" \
  FuncSessions__Tokens__Issuer="$host_url/api" \
  FuncSessions__Http__TokenTransport="$1" \
  FuncSessions__Factors__EncryptionKey="$factor_key" \
  FuncSessions__Passkeys__RelyingPartyId=localhost \
  FuncSessions__Passkeys__Origins="$host_url" \
  FuncSessions__External__ReturnOrigins="$host_url" \
  FuncSessions__External__Providers__0__Name=local \
  FuncSessions__External__Providers__0__DisplayName="Local OpenID provider" \
  FuncSessions__External__Providers__0__Authority="http://127.0.0.1:$oidc_port" \
  FuncSessions__External__Providers__0__ClientId=funcsessions \
  FuncSessions__External__Providers__0__ClientSecret=funcsessions-secret \
  Logging__Console__FormatterName=json \
  Logging__LogLevel__Default=Warning \
  Logging__LogLevel__FuncSessions=Information \
    dotnet src/FuncSessions.Host/bin/Release/net10.0/FuncSessions.Host.dll \
      --LocalSettingsFile local.settings.sample.json --urls "$host_url" "${mail_arguments[@]}" \
      --Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information >"$2" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_for_host "$host_url" "$pid" "$2" || exit 1
}

start_host Cookie "$artifacts/server.log" "$cookie_port"
cookie_url="$host_url"
start_host Bearer "$artifacts/server-bearer.log" "$bearer_port"
bearer_url="$host_url"

FUNCSESSIONS_URL="$cookie_url" \
FUNCSESSIONS_BEARER_URL="$bearer_url" \
FUNCSESSIONS_SERVER_LOG="$artifacts/server.log" \
FUNCSESSIONS_MAILDEV_URL="http://127.0.0.1:$maildev_web_port" \
FUNCSESSIONS_OIDC_PORT="$oidc_port" \
FUNCSESSIONS_ARTIFACTS="$artifacts" \
CHROMIUM_PATH="$chromium" \
  node --test "$@" tests/browser/
