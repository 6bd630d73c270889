#!/usr/bin/env bash
# Runs every test: unit tests and integration tests over real HTTP against the self-host and a real Azurite,
# which the tests start themselves on free loopback ports (installed here from npm if missing); then, when no
# arguments were given, the JS client's unit tests, the browser tests in Chromium (scripts/browser-tests.sh), the
# post-deploy smoke test against the self-host (scripts/smoke-self-host.sh) and real runs of run-local.sh stopped by
# signals (scripts/check-run-local.sh).
# Arguments go to `dotnet test` only (e.g. --filter SweepTests), and then the other steps are skipped.
# Without arguments every step runs even when an earlier one failed; the exit code is non-zero if any failed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/azurite.sh"
cd "$repo_root"
ensure_azurite
if [ "$#" -gt 0 ]; then
  exec dotnet test FuncSessions.Tests.slnf -c Release --logger "console;verbosity=normal" "$@"
fi

failed=()
step() {
  local name="$1"
  shift
  echo "=== $name" >&2
  "$@" || failed+=("$name")
}
dotnet_log="$(mktemp)"
trap 'rm -f "$dotnet_log"' EXIT
step "dotnet test" bash -c 'set -o pipefail; dotnet test FuncSessions.Tests.slnf -c Release --logger "console;verbosity=normal" 2>&1 | tee "$1"' _ "$dotnet_log"
step "JS client unit tests" bash -c 'node --test clients/js/test/*.test.js'
step "browser tests" ./scripts/browser-tests.sh
step "smoke test against the self-host" ./scripts/smoke-self-host.sh
step "run-local.sh signals and busy port" ./scripts/check-run-local.sh
if [ "${#failed[@]}" -gt 0 ]; then
  # Note: the failed tests again at the end, where a CI log's tail shows them.
  grep -E -A 12 '^\s+Failed [A-Za-z]' "$dotnet_log" | cut -c 1-400 | head -n 120 >&2 || true
  printf 'FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "All test steps passed." >&2
