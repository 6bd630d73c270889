#!/usr/bin/env bash
# Runs scripts/run-local.sh for real (on free ports) and checks that SIGTERM and SIGINT sent to its PID stop it and every
# process it started (Azurite's tables and queues, MailDev, the self-host, the ProtectedApi, the local OpenID provider),
# that the admin commands' storage file exists only while it runs, that the self-host's mail reaches MailDev, that it
# makes one factor encryption key and keeps it, that the self-host lists the local OpenID provider for sign-in, and that
# a busy self-host port ends it with one line naming the port, not a stack trace.
# Part of ./scripts/test.sh (without arguments); runs alone too.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/azurite.sh"
cd "$repo_root"
ensure_azurite

work="$(mktemp -d)"
holder_pid=""
run_local_pid=""
cleanup() {
  [ -z "$run_local_pid" ] || stop_processes "$run_local_pid"
  [ -z "$holder_pid" ] || stop_processes "$holder_pid"
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL run-local.sh: $1" >&2
  [ -f "$work/run-local.log" ] && tail -n 40 "$work/run-local.log" >&2
  exit 1
}

# The process ids below $1 (children, grandchildren, ...), from /proc, so no procps package is needed.
descendants() {
  local parents=" $1 " found="" changed=1 stat pid ppid
  while [ "$changed" -eq 1 ]; do
    changed=0
    for stat in /proc/[0-9]*/stat; do
      pid="${stat#/proc/}"
      pid="${pid%/stat}"
      case "$parents" in *" $pid "*) continue ;; esac
      ppid="$(cut -d' ' -f2 <<<"$(sed 's/^.*) //' "$stat" 2>/dev/null)" 2>/dev/null)" || continue
      case "$parents" in *" $ppid "*) parents+="$pid "; found+="$pid "; changed=1 ;; esac
    done
  done
  echo "$found"
}

# Of those, the servers run-local.sh starts (not the build servers `dotnet build` leaves behind by design).
servers_below() {
  local pid
  for pid in $(descendants "$1"); do
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qE 'azurite-table|azurite-queue|maildev|FuncSessions\.Host\.dll|ProtectedApi\.dll|oidc-provider/provider\.mjs' && echo "$pid"
  done
  return 0
}

# Starts run-local.sh with its own free ports and extra arguments "$@"; sets run_local_pid and host_url.
start_run_local() {
  local host_port azurite_port api_port
  read -r host_port azurite_port api_port <<<"$(free_ports 3)"
  host_url="http://127.0.0.1:$host_port"
  # Note: job control, so that run-local.sh does not inherit an ignored SIGINT (bash ignores it in background jobs
  # of scripts) and gets the signal exactly as a process sent to its PID would.
  set -m
  AZURITE_TABLE_PORT="$azurite_port" PROTECTED_API_URL="http://127.0.0.1:$api_port" \
  FUNCSESSIONS_RUN_LOCAL_SETTINGS="$work/run-local.settings.json" FUNCSESSIONS_FACTOR_KEY_FILE="$work/factor-encryption-key" \
    ./scripts/run-local.sh --urls "${1:-$host_url}" >"$work/run-local.log" 2>&1 &
  run_local_pid=$!
  set +m
}

# Waits up to $2 seconds for process $1 to end; sets exit_code.
wait_for_exit() {
  for _ in $(seq 1 $(($2 * 2))); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.5
  done
  kill -0 "$1" 2>/dev/null && fail "still running $2 s after the signal"
  exit_code=0
  wait "$1" || exit_code=$?
}

# The self-host lists provider "local", its start sends the browser to the local OpenID provider (printed on start) with
# a redirect URI the provider accepts (its login page answers 200, not an invalid_redirect_uri error), and the test user
# is printed.
check_local_provider() {
  local issuer
  issuer="$(grep -oE 'Local OpenID provider on http://127\.0\.0\.1:[0-9]+' "$work/run-local.log" | sed 's/.* on //')"
  [ -n "$issuer" ] || fail "no local OpenID provider address printed"
  grep -q "username alice, password alice" "$work/run-local.log" || fail "no test user printed"
  node -e '
    const [host, issuer] = process.argv.slice(1);
    (async () => {
      const { providers } = await (await fetch(`${host}/api/auth/oauth/providers`)).json();
      const local = providers.find((p) => p.name === "local");
      if (local?.displayName !== "Local OpenID provider") throw new Error(`oauth/providers lists ${JSON.stringify(providers)}`);
      const start = await fetch(`${host}${local.startUrl}?returnTo=${encodeURIComponent(`${host}/`)}`, { redirect: "manual" });
      const location = start.headers.get("location") ?? "";
      if (start.status !== 302 || !location.startsWith(`${issuer}/`)) throw new Error(`start answered ${start.status} to ${location}`);
      // Note: its redirects to the login page set the cookies that page needs, so they are followed by hand.
      let next = new URL(location);
      const cookies = [];
      for (let step = 0; step < 5; step++) {
        const answer = await fetch(next, { redirect: "manual", headers: { cookie: cookies.join("; ") } });
        cookies.push(...answer.headers.getSetCookie().map((c) => c.split(";")[0]));
        if (answer.status >= 300 && answer.status < 400) {
          next = new URL(answer.headers.get("location"), next);
          continue;
        }
        const page = await answer.text();
        if (answer.status === 200 && page.includes("name=\"login\"")) return;
        throw new Error(`the provider answered ${answer.status}: ${page.slice(0, 300)}`);
      }
      throw new Error("the provider never showed its login form");
    })().catch((e) => { console.error(e.message); process.exit(1); });' "$host_url" "$issuer" || fail "the local OpenID provider is not offered or not reachable"
}

for signal in TERM INT; do
  start_run_local
  wait_for_host "$host_url" "$run_local_pid" "$work/run-local.log" || fail "the self-host did not start"
  # Note: run-local.sh starts the ProtectedApi only once the self-host answers, so it may still be on its way here.
  for _ in $(seq 1 60); do
    servers="$(servers_below "$run_local_pid")"
    [ "$(wc -w <<<"$servers")" -ge 6 ] && break
    sleep 0.5
  done
  [ "$(wc -w <<<"$servers")" -eq 6 ] \
    || fail "expected Azurite (tables, queues), MailDev, the self-host, the ProtectedApi and the OpenID provider running, found: $servers"
  [ -f "$work/run-local.settings.json" ] || fail "no storage settings for the admin commands while running"
  grep -q "AzureWebJobsStorage" "$work/run-local.settings.json" || fail "the storage settings name no AzureWebJobsStorage"
  mail_ui="$(grep -oE 'web UI on http://127\.0\.0\.1:[0-9]+' "$work/run-local.log" | sed 's/.* on //')"
  [ -n "$mail_ui" ] || fail "no MailDev web UI URL printed"
  # Note: a registration by address queues a verification mail; the self-host's worker must deliver it to MailDev.
  node -e '
    const [host, ui] = process.argv.slice(1);
    const email = `run-local.${Date.now()}@example.com`;
    (async () => {
      const registered = await fetch(`${host}/api/auth/register`, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password: "correct horse battery staple" }) });
      if (registered.status !== 202) throw new Error(`register answered ${registered.status}`);
      for (let i = 0; i < 120; i++) {
        const mails = await (await fetch(`${ui}/api/email`)).json();
        if (mails.some((m) => m.envelope.to.some((t) => t.address === email) && m.text.includes(`${host}/#action=verify-email&token=`))) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error("no verification mail in MailDev");
    })().catch((e) => { console.error(e.message); process.exit(1); });' "$host_url" "$mail_ui" || fail "the verification mail did not reach MailDev at $mail_ui"
  # Second factors: a development key made on the first run (owner-only), the same one on the next, and passkeys on.
  [ "$(stat -c %a "$work/factor-encryption-key" 2>/dev/null)" = 600 ] || fail "no owner-only factor key file"
  [ "$(node -e 'console.log(Buffer.from(require("fs").readFileSync(process.argv[1], "utf8"), "base64").length)' "$work/factor-encryption-key")" = 32 ] \
    || fail "the factor key is not 32 bytes of base64"
  factor_key="$(cat "$work/factor-encryption-key")"
  [ -z "${first_factor_key:-}" ] || [ "$factor_key" = "$first_factor_key" ] || fail "a second run made a new factor key"
  first_factor_key="$factor_key"
  status="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "$host_url/api/auth/passkeys/login/options")"
  [ "$status" = 200 ] || fail "passkeys/login/options answered $status, not 200: the factor settings did not reach the self-host"

  check_local_provider

  kill "-$signal" "$run_local_pid"
  wait_for_exit "$run_local_pid" 30
  for pid in $servers; do
    kill -0 "$pid" 2>/dev/null && fail "SIG$signal left process $pid running: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
  done
  [ ! -f "$work/run-local.settings.json" ] || fail "SIG$signal left the storage settings file behind"
  echo "ok   run-local.sh delivers mail to MailDev, lists the local OpenID provider and stops Azurite, MailDev, the self-host, the ProtectedApi and the provider on SIG$signal (exit $exit_code)"
done

# Note: the holder takes a port of its own choosing and prints it; a port found free first and bound later can meanwhile
# become another connection's ephemeral source port, and the holder would die with EADDRINUSE.
node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>console.log(s.address().port))' >"$work/held-port" &
holder_pid=$!
until [ -s "$work/held-port" ]; do
  kill -0 "$holder_pid" 2>/dev/null || fail "the process holding a port for the busy-port check exited"
  sleep 0.2
done
held_port="$(cat "$work/held-port")"
start_run_local "http://127.0.0.1:$held_port"
wait_for_exit "$run_local_pid" 120
[ "$exit_code" -ne 0 ] || fail "exit code 0 although port $held_port is taken"
grep -q "Port $held_port is already in use.*--urls" "$work/run-local.log" || fail "no line naming port $held_port and --urls"
! grep -qE '^\s+at |Unhandled exception' "$work/run-local.log" || fail "a stack trace for a busy port"
echo "ok   run-local.sh with port $held_port taken: one line naming it and --urls, exit $exit_code"
