#!/usr/bin/env bash
# Installs Azurite from npm (pinned in package.json) if needed. Sourced by the other scripts.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

ensure_azurite() {
  if [ ! -x "$repo_root/node_modules/.bin/azurite-table" ] || [ ! -x "$repo_root/node_modules/.bin/maildev" ]; then
    echo "Installing Azurite and MailDev (npm ci)..." >&2
    (cd "$repo_root" && npm ci --no-audit --no-fund >&2)
  fi
}

# Prints a free loopback TCP port.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# Prints N distinct free loopback TCP ports, separated by spaces. Separate free_port calls can return the same port
# (each releases it before the next asks), so ports that must differ are taken together, held until all are known.
free_ports() {
  node -e 'const net=require("net");const n=Number(process.argv[1]);const all=[];let bound=0;
for(let i=0;i<n;i++){const s=net.createServer();all.push(s);s.listen(0,"127.0.0.1",()=>{if(++bound===n){
console.log(all.map(x=>x.address().port).join(" "));all.forEach(x=>x.close());}});}' "$1"
}

port_in_use() {
  node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(0));s.listen(Number(process.argv[1]),"127.0.0.1",()=>{s.close();process.exit(1);});' "$1"
}

# The connection string for Azurite's table service on port $1 and, when $2 is given, its queue service on port $2.
azurite_connection_string() {
  # The well-known Azurite development account (public, documented in the Azurite README).
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$1/devstoreaccount1;${2:+QueueEndpoint=http://127.0.0.1:$2/devstoreaccount1;}"
}

# Waits until process $2 listens on 127.0.0.1:$1; returns 1 (naming $3) when it exits or does not within 60 s.
wait_for_port() {
  for _ in $(seq 1 120); do
    port_in_use "$1" && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.5
  done
  echo "$3 did not start on 127.0.0.1:$1" >&2
  return 1
}

# Starts Azurite's queue service (the mail queue) in memory on a free port; sets azurite_queue_port and azurite_queue_pid.
start_azurite_queue() {
  azurite_queue_port="$(free_port)"
  "$repo_root/node_modules/.bin/azurite-queue" --queueHost 127.0.0.1 --queuePort "$azurite_queue_port" \
    --inMemoryPersistence --disableTelemetry --silent &
  azurite_queue_pid=$!
  wait_for_port "$azurite_queue_port" "$azurite_queue_pid" "Azurite (queues)"
}

# Starts MailDev (npm, pinned in package.json), a local SMTP server whose web UI and REST API (GET /api/email) show
# every mail it caught, on free loopback ports, keeping the mail in a new folder (the caller removes maildev_dir); sets
# maildev_smtp_port, maildev_web_port, maildev_dir and maildev_pid.
start_maildev() {
  read -r maildev_smtp_port maildev_web_port <<<"$(free_ports 2)"
  maildev_dir="$(mktemp -d)"
  "$repo_root/node_modules/.bin/maildev" --ip 127.0.0.1 --smtp "$maildev_smtp_port" \
    --web-ip 127.0.0.1 --web "$maildev_web_port" --mail-directory "$maildev_dir" --silent >/dev/null &
  maildev_pid=$!
  wait_for_port "$maildev_web_port" "$maildev_pid" "MailDev" && wait_for_port "$maildev_smtp_port" "$maildev_pid" "MailDev (SMTP)"
}

# Installs the local OpenID provider (tests/oidc-provider: npm oidc-provider, its own package.json) if needed.
ensure_oidc_provider() {
  if [ ! -d "$repo_root/tests/oidc-provider/node_modules/oidc-provider" ]; then
    echo "Installing the local OpenID provider (npm ci in tests/oidc-provider)..." >&2
    (cd "$repo_root/tests/oidc-provider" && npm ci --no-audit --no-fund >&2)
  fi
}

# Starts the local OpenID provider on a free loopback port with the redirect URIs given as arguments; sets
# oidc_issuer and oidc_pid. Its client is `funcsessions` (secret `funcsessions-secret`); its login form takes any login.
start_oidc_provider() {
  local arguments=() uri output
  for uri in "$@"; do
    arguments+=(--redirect-uri "$uri")
  done
  output="$(mktemp)"
  node "$repo_root/tests/oidc-provider/provider.mjs" "${arguments[@]}" >"$output" 2>&1 &
  oidc_pid=$!
  oidc_issuer=""
  for _ in $(seq 1 120); do
    oidc_issuer="$(sed -n 's/^issuer //p' "$output")"
    [ -n "$oidc_issuer" ] && break
    kill -0 "$oidc_pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ -z "$oidc_issuer" ]; then
    echo "The local OpenID provider did not start:" >&2
    cat "$output" >&2
    rm -f "$output"
    return 1
  fi
  rm -f "$output"
}

# Self-host arguments that send mail through MailDev and put links to the page at base URL $1 into it.
maildev_host_arguments() {
  echo "--FuncSessions:Email:Smtp:Host=127.0.0.1 --FuncSessions:Email:Smtp:Port=$maildev_smtp_port --FuncSessions:Email:Smtp:Security=None --FuncSessions:Email:LinkBaseUrl=$1/ --FuncSessions:Email:FromAddress=no-reply@example.com"
}

# Starts the Azurite table service in memory on 127.0.0.1:$1 (default: a free port), sets azurite_port and azurite_pid,
# and waits until it listens.
start_azurite() {
  azurite_port="${1:-$(free_port)}"
  "$repo_root/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$azurite_port" \
    --inMemoryPersistence --disableTelemetry --silent &
  azurite_pid=$!
  wait_for_port "$azurite_port" "$azurite_pid" Azurite
}

# Waits until the self-host at base URL $1 answers GET /api/auth/jwks, while process $2 runs. When it does not, returns 1
# and prints the end of log file $3 (when given), so the reason is in the output.
wait_for_host() {
  for _ in $(seq 1 240); do
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1/api/auth/jwks" && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.5
  done
  kill -0 "$2" 2>/dev/null && echo "The self-host at $1 did not answer within 120 s." >&2
  if [ -n "${3:-}" ] && [ -f "$3" ]; then
    echo "The self-host at $1 did not start; the end of $3:" >&2
    tail -n 40 "$3" >&2
  fi
  return 1
}

# Stops the processes whose ids are given: SIGTERM (each shuts down cleanly), then SIGKILL for any still running after 15 s.
stop_processes() {
  local pid
  for pid in "$@"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 30); do
    local running=0
    for pid in "$@"; do
      kill -0 "$pid" 2>/dev/null && running=1
    done
    [ "$running" -eq 0 ] && break
    sleep 0.5
  done
  for pid in "$@"; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
