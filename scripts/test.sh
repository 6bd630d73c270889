#!/usr/bin/env bash
# Runs every test: unit tests and integration tests over real HTTP against the self-host and a real Azurite,
# which the tests start themselves on free loopback ports (installed here from npm if missing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/azurite.sh"
cd "$repo_root"
ensure_azurite
dotnet test FuncSessions.Tests.slnf -c Release --logger "console;verbosity=normal" "$@"
