#!/usr/bin/env bash
# Runs FuncSessions locally: Azurite (tables and the mail queue, in memory) + MailDev (a local SMTP server with a web
# UI showing every mail, on free ports; the URL is printed) + the self-host on http://localhost:7071 (API under
# /api/auth, the sample page at /, its mail sent to MailDev with links back to the sample page) + samples/ProtectedApi
# on http://localhost:7072 (verifying the self-host's tokens) + the local OpenID provider (tests/oidc-provider, on a free
# loopback port), configured in the self-host as provider "local" ("Sign in with Local OpenID provider" on the page).
# Extra arguments go to the self-host, e.g. --urls http://localhost:7080 when 7071 is taken.
# Ctrl+C, SIGINT or SIGTERM to this script stops every process it started.
#
# Second factors and passkeys: unless the settings file or the environment sets FuncSessions__Factors__EncryptionKey,
# a development key is made once per checkout in FUNCSESSIONS_FACTOR_KEY_FILE (default
# .funcsessions/factor-encryption-key, git-ignored, owner-only) and kept, so enrolled authenticators survive restarts.
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
  [ -z "${maildev_dir:-}" ] || rm -rf "$maildev_dir"
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
ensure_oidc_provider
run dotnet build src/FuncSessions.Host -c Release --nologo -v quiet
run dotnet build samples/ProtectedApi -c Release --nologo -v quiet

azurite_port="${AZURITE_TABLE_PORT:-10002}"
if [ -z "${AZURITE_TABLE_PORT:-}" ] && port_in_use "$azurite_port"; then
  azurite_port="$(free_port)"
fi
start_azurite "$azurite_port"
pids+=("$azurite_pid")
echo "Azurite (tables) on 127.0.0.1:$azurite_port"
start_azurite_queue
pids+=("$azurite_queue_pid")
echo "Azurite (queues) on 127.0.0.1:$azurite_queue_port"
start_maildev
pids+=("$maildev_pid")

settings=local.settings.json
[ -f "$settings" ] || settings=local.settings.sample.json
# A value from the settings file ($2 when it has none); the ProtectedApi's issuer and audience must be the self-host's.
setting() { node -e 'console.log(require(process.argv[1]).Values[process.argv[2]] || process.argv[3]);' "$repo_root/$settings" "$1" "$2"; }
export AzureWebJobsStorage="$(azurite_connection_string "$azurite_port" "$azurite_queue_port")"
# Note: the admin commands (add-user, ...) read this file, so they reach this Azurite whichever port it got.
mkdir -p "$(dirname "$run_local_settings")"
node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ IsEncrypted: false, Values: { AzureWebJobsStorage: process.argv[2] } }, null, 2) + "\n")' \
  "$run_local_settings" "$AzureWebJobsStorage"

# Note: generated here rather than committed in the sample settings, so no two checkouts share a key. Only the
# self-host gets it (host_env).
host_env=()
if [ -z "${FuncSessions__Factors__EncryptionKey:-}" ] && [ -z "$(setting FuncSessions__Factors__EncryptionKey "")" ]; then
  factor_key_file="${FUNCSESSIONS_FACTOR_KEY_FILE:-$repo_root/.funcsessions/factor-encryption-key}"
  if [ ! -s "$factor_key_file" ]; then
    mkdir -p "$(dirname "$factor_key_file")"
    (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64"))' >"$factor_key_file")
  fi
  host_env+=("FuncSessions__Factors__EncryptionKey=$(cat "$factor_key_file")")
fi

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
host_url="${host_url%/}"
# Note: before "$@", so arguments given to this script still win; the links in the mail open the sample page.
read -ra mail_arguments <<<"$(maildev_host_arguments "$host_url")"

# The local OpenID provider as provider "local". Its redirect URI is the one the self-host sends: under the issuer when
# that is a URL, else under the self-host's own address; both are registered, so the provider accepts whichever it is
# (with --urls on another port, the issuer in the settings must move too: the callback goes to the issuer's host).
issuer="${FuncSessions__Tokens__Issuer:-$(setting FuncSessions__Tokens__Issuer "")}"
redirect_uris=("$host_url/api/auth/oauth/local/callback")
case "$issuer" in
  http://*|https://*) [ "${issuer%/}/auth/oauth/local/callback" = "${redirect_uris[0]}" ] || redirect_uris+=("${issuer%/}/auth/oauth/local/callback") ;;
esac
start_oidc_provider "${redirect_uris[@]}"
pids+=("$oidc_pid")
# Note: the first provider slot the settings leave unnamed, so a provider configured there stays; the sample page's
# origin is added to the settings' ReturnOrigins, so the sign-in may return to it.
provider_slot="$(node -e 'const v = require(process.argv[1]).Values; let i = 0;
while (v[`FuncSessions__External__Providers__${i}__Name`]) i++; console.log(i);' "$repo_root/$settings")"
return_origins="$(setting FuncSessions__External__ReturnOrigins "")"
case ",$return_origins," in
  *",$host_url,"*) ;;
  *) return_origins="${return_origins:+$return_origins,}$host_url" ;;
esac
provider_setting="--FuncSessions:External:Providers:$provider_slot"
oidc_arguments=(
  "--FuncSessions:External:ReturnOrigins=$return_origins"
  "$provider_setting:Name=local"
  "$provider_setting:DisplayName=Local OpenID provider"
  "$provider_setting:Kind=OpenIdConnect"
  "$provider_setting:Authority=$oidc_issuer"
  "$provider_setting:ClientId=funcsessions"
  "$provider_setting:ClientSecret=funcsessions-secret"
)

# Note: run the built assembly from the repository root, so relative paths in the settings (the development
# signing key, the sample page) resolve against the repository, as they do under the tests. A busy port makes the
# host print one line naming it and exit 1, which ends this script (and the others) with that code.
env "${host_env[@]}" dotnet src/FuncSessions.Host/bin/Release/net10.0/FuncSessions.Host.dll --LocalSettingsFile "$settings" \
  "${mail_arguments[@]}" "${oidc_arguments[@]}" "$@" &
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
echo "Mail (MailDev) web UI on http://127.0.0.1:$maildev_web_port (SMTP on 127.0.0.1:$maildev_smtp_port)"
echo "Local OpenID provider on $oidc_issuer: on the sample page, click \"Sign in with Local OpenID provider\" and log in"
echo "  as the test user: username alice, password alice (its login form takes any username and password)"

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

