#!/usr/bin/env bash
# Runs every test: unit tests and integration tests over real HTTP against the self-host and a real Azurite,
# which the tests start themselves on free loopback ports (installed here from npm if missing); then, when no
# arguments were given, the JS client's unit tests and the browser tests in Chromium (scripts/browser-tests.sh).
# Arguments go to `dotnet test` only (e.g. --filter SweepTests), and then the JS and browser tests are skipped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/azurite.sh"
cd "$repo_root"
ensure_azurite
dotnet test FuncSessions.Tests.slnf -c Release --logger "console;verbosity=normal" "$@"
if [ "$#" -eq 0 ]; then
  node --test clients/js/test/*.test.js
  ./scripts/browser-tests.sh
fi
