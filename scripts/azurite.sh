#!/usr/bin/env bash
# Installs Azurite from npm (pinned in package.json) if needed. Sourced by the other scripts.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

ensure_azurite() {
  if [ ! -x "$repo_root/node_modules/.bin/azurite-table" ]; then
    echo "Installing Azurite (npm ci)..." >&2
    (cd "$repo_root" && npm ci --no-audit --no-fund >&2)
  fi
}

# Prints a free loopback TCP port.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

port_in_use() {
  node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(0));s.listen(Number(process.argv[1]),"127.0.0.1",()=>{s.close();process.exit(1);});' "$1"
}

azurite_connection_string() {
  # The well-known Azurite development account (public, documented in the Azurite README).
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$1/devstoreaccount1;"
}
