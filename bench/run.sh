#!/usr/bin/env bash
# Benchmarks (issue 8): validate, refresh and login over HTTP with wrk against the self-host in Release, on
# Azurite and on in-process stores, beside a constant-200 Kestrel app and a bare Azurite point-read loop, then the
# expired-session sweep. Prints the table and writes bench/RESULTS.md.
#   bench/run.sh                  full run (5 rounds x 10 s per case, sweep with 1k/100k live sessions), ~15 min
#   BENCH_QUICK=1 bench/run.sh    smoke run (2 rounds x 3 s, small sweep), writes bench/RESULTS-quick.md
#   BENCH_SWEEP_ONLY=1 bench/run.sh   the sweep benchmark alone (1k/100k live), its rows on stdout
#   BENCH_COLD_START_ONLY=1 bench/run.sh   the cold-start benchmark alone (JIT build vs ReadyToRun publish), table on stdout;
#     BENCH_SELF_HOST_DLL and BENCH_SELF_HOST_R2R_DLL point it at another build of FuncSessions.Host (e.g. an older commit's)
# Overrides: BENCH_ROUNDS, BENCH_SECONDS. Needs the .NET SDK, Node.js/npm, and apt-get (or wrk already installed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/azurite.sh"
cd "$repo_root"

ensure_azurite
if ! command -v wrk >/dev/null; then
  echo "Installing wrk (apt-get)..." >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq wrk >&2
fi

echo "Building (Release)..." >&2
dotnet build bench/FuncSessions.Bench.Host -c Release --nologo -v quiet -clp:ErrorsOnly >&2
# Note: the self-host as Azure-style deployments ship it, precompiled, beside the build output, for the cold-start rows.
r2r_dir=bench/.publish/ready-to-run
dotnet publish src/FuncSessions.Host -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$r2r_dir" --nologo -v quiet -clp:ErrorsOnly >&2

if [ -n "${BENCH_QUICK:-}" ]; then
  rounds="${BENCH_ROUNDS:-2}" seconds="${BENCH_SECONDS:-3}" warmup=1
  sweep_live=1000,10000 sweep_expired=100,1000 output=bench/RESULTS-quick.md command="BENCH_QUICK=1 bench/run.sh"
else
  rounds="${BENCH_ROUNDS:-5}" seconds="${BENCH_SECONDS:-10}" warmup=2
  sweep_live=1000,100000 sweep_expired=1000,10000 output=bench/RESULTS.md command="bench/run.sh"
fi
[ -z "${BENCH_ROUNDS:-}${BENCH_SECONDS:-}" ] || command="BENCH_ROUNDS=$rounds BENCH_SECONDS=$seconds $command"

port="$(free_port)"
# Note: 110,000 sessions and their index entries live in Azurite's memory during the sweep benchmark.
NODE_OPTIONS=--max-old-space-size=4096 node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort "$port" \
  --inMemoryPersistence --disableTelemetry --silent &
azurite_pid=$!
# Note: the servers also create and poll the mail queue at start-up (issue 15), on a queue service of their own so
# that Azurite's table CPU, which the bench reports, stays the tables' alone.
queue_port="$(free_port)"
node_modules/.bin/azurite-queue --queueHost 127.0.0.1 --queuePort "$queue_port" --inMemoryPersistence --disableTelemetry --silent &
queue_pid=$!
trap 'kill "$azurite_pid" "$queue_pid" 2>/dev/null || true' EXIT INT TERM
until port_in_use "$port" && port_in_use "$queue_port"; do
  kill -0 "$azurite_pid" 2>/dev/null || { echo "Azurite did not start" >&2; exit 1; }
  kill -0 "$queue_pid" 2>/dev/null || { echo "Azurite's queue service did not start" >&2; exit 1; }
  sleep 0.2
done
connection="$(azurite_connection_string "$port")QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;"

environment="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)), \
$(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo), Linux $(uname -r)
.NET $(dotnet --version) (Release build, server GC), $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2), \
Azurite $(node -p 'require("./node_modules/azurite/package.json").version') (in-memory) on Node.js $(node --version)"

# Note: BENCH_SWEEP_ONLY=1 runs the sweep benchmark alone and prints its rows (no RESULTS file), for work on the sweep.
bench_args=(--connection "$connection" --azurite-pid "$azurite_pid" --bench-dir bench
  --self-host-dll "${BENCH_SELF_HOST_DLL:-src/FuncSessions.Host/bin/Release/net10.0/FuncSessions.Host.dll}"
  --self-host-r2r-dll "${BENCH_SELF_HOST_R2R_DLL:-$r2r_dir/FuncSessions.Host.dll}")
if [ -n "${BENCH_COLD_START_ONLY:-}" ]; then
  dotnet bench/FuncSessions.Bench.Host/bin/Release/net10.0/FuncSessions.Bench.Host.dll cold-start "${bench_args[@]}" \
    --output /dev/null --command "BENCH_COLD_START_ONLY=1 bench/run.sh" --cold-start-runs "${BENCH_COLD_START_RUNS:-7}"
  exit
fi

if [ -n "${BENCH_SWEEP_ONLY:-}" ]; then
  # Note: not exec, so the EXIT trap still stops Azurite.
  dotnet bench/FuncSessions.Bench.Host/bin/Release/net10.0/FuncSessions.Bench.Host.dll sweep \
    --connection "$(azurite_connection_string "$port")" --sweep-live "$sweep_live" --sweep-expired "$sweep_expired"
  exit
fi

dotnet bench/FuncSessions.Bench.Host/bin/Release/net10.0/FuncSessions.Bench.Host.dll run "${bench_args[@]}" \
  --rounds "$rounds" --seconds "$seconds" --warmup-seconds "$warmup" \
  --sweep-live "$sweep_live" --sweep-expired "$sweep_expired" \
  --output "$output" --command "$command" --environment "$environment"
