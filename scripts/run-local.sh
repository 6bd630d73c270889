#!/usr/bin/env bash
# Runs FuncSessions locally: Azurite (in memory) + the self-host on http://localhost:7071 (API under /api/auth,
# sample page at / when samples/static-site exists). Stops Azurite on exit.
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
# Note: run the built assembly from the repository root, so relative paths in the settings (the development
# signing key, the sample page) resolve against the repository, as they do under the tests.
dotnet src/FuncSessions.Host/bin/Release/net10.0/FuncSessions.Host.dll --LocalSettingsFile "$settings" "$@"
