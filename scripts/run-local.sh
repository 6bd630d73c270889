#!/usr/bin/env bash
# Runs FuncSessions locally: Azurite (in memory) + the self-host on http://localhost:7071 (API under /api/auth, the
# sample page at /) + samples/ProtectedApi on http://localhost:7072 (verifying the self-host's tokens).
# Extra arguments go to the self-host, e.g. --urls http://localhost:7080 when 7071 is taken.
# Ctrl+C, SIGINT or SIGTERM to this script stops all three processes.
#
# Environment: AZURITE_TABLE_PORT (default 10002 when free, else a free port), PROTECTED_API_URL (default
# http://localhost:7072), FUNCSESSIONS_RUN_LOCAL_SETTINGS (where the storage connection for the admin commands is
# written while this runs; default .funcsessions/run-local.settings.json, which `dotnet run --project
# src/FuncSessions.Host -- add-user ...` reads).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/azurite.sh"
cd "$repo_root"

pids=()
build_pid=""
run_local_settings="${FUNCSESSIONS_RUN_LOCAL_SETTINGS:-$repo_root/.funcsessions/run-local.settings.json}"
stop_all() {
  trap - EXIT INT TERM
  # Note: children started with & ignore SIGINT in a script, so they are sent SIGTERM, whichever signal stopped us.
  stop_processes ${build_pid:+"$build_pid"} "${pids[@]}"
  rm -f "$run_local_settings"
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

# Note: in the background and waited for, so that a signal stops a build too instead of waiting for it to finish.
run() {
  "$@" &
  build_pid=$!
  wait "$build_pid"
  build_pid=""
}

ensure_azurite
run dotnet build src/FuncSessions.Host -c Release --nologo -v quiet
run dotnet build samples/ProtectedApi -c Release --nologo -v quiet

azurite_port="${AZURITE_TABLE_PORT:-10002}"
if [ -z "${AZURITE_TABLE_PORT:-}" ] && port_in_use "$azurite_port"; then
  azurite_port="$(free_port)"
fi
start_azurite "$azurite_port"
pids+=("$azurite_pid")
echo "Azurite (tables) on 127.0.0.1:$azurite_port"

settings=local.settings.json
[ -f "$settings" ] || settings=local.settings.sample.json
export AzureWebJobsStorage="$(azurite_connection_string "$azurite_port")"
# Note: the admin commands (add-user, ...) read this file, so they reach this Azurite whichever port it got.
mkdir -p "$(dirname "$run_local_settings")"
node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ IsEncrypted: false, Values: { AzureWebJobsStorage: process.argv[2] } }, null, 2) + "\n")' \
  "$run_local_settings" "$AzureWebJobsStorage"

# The self-host's first address, from --urls (or --urls=) among the arguments, for the ProtectedApi's authority.
host_url=http://localhost:7071
previous=""
for argument in "$@"; do
  case "$argument" in
    --urls=*) host_url="${argument#--urls=}" ;;
  esac
  [ "$previous" = --urls ] && host_url="$argument"
  previous="$argument"
done
host_url="${host_url%%;*}"

# Note: run the built assembly from the repository root, so relative paths in the settings (the development
# signing key, the sample page) resolve against the repository, as they do under the tests. A busy port makes the
# host print one line naming it and exit 1, which ends this script (and the others) with that code.
dotnet src/FuncSessions.Host/bin/Release/net10.0/FuncSessions.Host.dll --LocalSettingsFile "$settings" "$@" &
host_pid=$!
pids+=("$host_pid")
# Note: the ProtectedApi starts once the self-host answers (it fetches the self-host's keys), and not at all when the
# self-host failed, so a busy port ends with the host's one line and nothing else.
if ! wait_for_host "$host_url" "$host_pid"; then
  status=0
  wait "$host_pid" || status=$?
  exit "$status"
fi
echo "Self-host on $host_url (API under /api/auth, the sample page at /)"

# Note: the ProtectedApi must require the issuer and audience the self-host writes, so read them from the same settings.
setting() { node -e 'console.log(require(process.argv[1]).Values[process.argv[2]] || process.argv[3]);' "$repo_root/$settings" "$1" "$2"; }
protected_api_url="${PROTECTED_API_URL:-http://localhost:7072}"
protected_api_port="${protected_api_url##*:}"
protected_api_port="${protected_api_port%%/*}"
if port_in_use "$protected_api_port"; then
  echo "Port $protected_api_port is in use: the ProtectedApi sample is not started (set PROTECTED_API_URL to use another port)." >&2
else
  protected_api=samples/ProtectedApi/bin/Release/net10.0
  dotnet "$protected_api/ProtectedApi.dll" --contentRoot "$repo_root/$protected_api" --urls "$protected_api_url" \
    --FuncSessions:Authority "$host_url" \
    --Cors:AllowedOrigins:0 "$host_url" \
    --FuncSessions:Issuer "$(setting FuncSessions__Tokens__Issuer funcsessions)" \
    --FuncSessions:Audience "$(setting FuncSessions__Tokens__Audience funcsessions-api)" &
  pids+=($!)
  echo "ProtectedApi on $protected_api_url (GET /api/protected/whoami)"
fi

status=0
wait "$host_pid" || status=$?
exit "$status"

