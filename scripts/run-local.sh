#!/usr/bin/env bash
# Runs FuncSessions locally: Azurite (in memory) + the self-host on http://localhost:7071 (API under /api/auth,
# sample page at / when samples/static-site exists) + samples/ProtectedApi on http://localhost:7072 (verifying the
# self-host's tokens). Stops Azurite and the ProtectedApi on exit.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/azurite.sh"
cd "$repo_root"
ensure_azurite

port=10002
if port_in_use "$port"; then
  port="$(free_port)"
fi
node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort "$port" --inMemoryPersistence --disableTelemetry --silent &
azurite_pid=$!
trap 'kill "$azurite_pid" 2>/dev/null || true' EXIT INT TERM
echo "Azurite (tables) on 127.0.0.1:$port"

settings=local.settings.json
[ -f "$settings" ] || settings=local.settings.sample.json
export AzureWebJobsStorage="$(azurite_connection_string "$port")"
dotnet build src/FuncSessions.Host -c Release --nologo -v quiet
dotnet build samples/ProtectedApi -c Release --nologo -v quiet

# Note: the ProtectedApi must require the issuer and audience the self-host writes, so read them from the same settings.
setting() { node -e 'console.log(require(process.argv[1]).Values[process.argv[2]] || process.argv[3]);' "$repo_root/$settings" "$1" "$2"; }
protected_api=samples/ProtectedApi/bin/Release/net10.0
dotnet "$protected_api/ProtectedApi.dll" --contentRoot "$repo_root/$protected_api" \
  --FuncSessions:Issuer "$(setting FuncSessions__Tokens__Issuer funcsessions)" \
  --FuncSessions:Audience "$(setting FuncSessions__Tokens__Audience funcsessions-api)" &
protected_api_pid=$!
trap 'kill "$azurite_pid" "$protected_api_pid" 2>/dev/null || true' EXIT INT TERM
echo "ProtectedApi on http://localhost:7072 (GET /api/protected/whoami)"
# Note: run the built assembly from the repository root, so relative paths in the settings (the development
# signing key, the sample page) resolve against the repository, as they do under the tests.
dotnet src/FuncSessions.Host/bin/Release/net10.0/FuncSessions.Host.dll --LocalSettingsFile "$settings" "$@"
