#!/usr/bin/env bash
# Runs the post-deploy smoke test (infra/smoke-test.sh) against the Release self-host over a real Azurite, both on free
# ports, in cookie mode (with a CORS preflight from an allowed origin) and in bearer mode, then stops them. Part of
# ./scripts/test.sh (without arguments); runs alone too.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/azurite.sh"
cd "$repo_root"
ensure_azurite
dotnet build src/FuncSessions.Host -c Release --nologo -v quiet

work="$(mktemp -d)"
pids=()
cleanup() {
  stop_processes "${pids[@]}"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

start_azurite
pids+=("$azurite_pid")
origin=http://localhost:5173

# Starts the self-host with token transport $1; sets host_url. localhost, not 127.0.0.1: curl keeps __Host- cookies
# over plain http only for localhost, as browsers do.
start_host() {
  host_url="http://localhost:$(free_port)"
  AzureWebJobsStorage="$(azurite_connection_string "$azurite_port")" \
  FuncSessions__Storage__TablePrefix="Smoke$1$(date +%s)$RANDOM" \
  FuncSessions__Tokens__DevelopmentKeyFile="$work/signing-key-$1.json" \
  FuncSessions__Tokens__Issuer="$host_url/api" \
  FuncSessions__Http__TokenTransport="$1" \
  FuncSessions__Http__AllowedOrigins="$origin" \
  Logging__LogLevel__Default=Warning \
    dotnet src/FuncSessions.Host/bin/Release/net10.0/FuncSessions.Host.dll \
      --LocalSettingsFile local.settings.sample.json --urls "$host_url" >"$work/server-$1.log" 2>&1 &
  pids+=($!)
  wait_for_host "$host_url" "$!" "$work/server-$1.log"
}

start_host Cookie
SMOKE_RETRY_SECONDS=1 infra/smoke-test.sh --cookie --origin "$origin" "$host_url/api"
start_host Bearer
SMOKE_RETRY_SECONDS=1 infra/smoke-test.sh --bearer "$host_url/api"
