#!/usr/bin/env bash
# nginx in front of the example API node, for real: installs Debian's nginx when missing, starts
# its own redis-server, a Tessera node, the example API node (fed from Redis) and nginx with
# examples/nginx/nginx.conf on free loopback ports, then checks what the gateway answers:
# a valid token passes with the X-Auth-* headers, a revoked one gets 401, a role it lacks 403,
# and a stale Tessera 503 with Retry-After. Then the Python feed client of examples/feed-client
# follows the same Tessera node and sees a logout. Every process is stopped by its PID.
# Usage: scripts/nginx-test.sh [bin-dir]   (default: a debug build of tessera and tessera-example-api)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
    echo "Installing nginx (Debian's package) for the gateway test" >&2
    # Debian starts a freshly installed nginx on port 80; a policy-rc.d that says no keeps it from starting.
    made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
        "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
        made_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends nginx >/dev/null
    [ "$made_policy" = 1 ] && "${sudo[@]}" rm -f /usr/sbin/policy-rc.d
fi
nginx_binary="$(command -v nginx || echo /usr/sbin/nginx)"

bin="${1:-}"
if [ -z "$bin" ]; then
    for product in tessera tessera-example-api; do
        swift build --product "$product" >/dev/null 2>&1 || swift build --product "$product"
    done
    bin="$(swift build --show-bin-path)"
fi

source scripts/local-node.sh
local_init nginx
dir="$LOCAL_DIR"
fail() {
    echo "nginx gateway test FAILED: $*" >&2
    for log in tessera.log api.log error.log; do [ -f "$dir/$log" ] && { echo "== $log" >&2; tail -15 "$dir/$log" >&2; }; done
    exit 1
}

local_start_redis || fail "redis-server"
head -c 48 /dev/urandom | base64 >"$dir/secret"
export TESSERA_HS256_SECRET_FILE="$dir/secret" TESSERA_ADMIN_USERNAME=admin TESSERA_ADMIN_PASSWORD='gateway-admin-password'
export TESSERA_LOG_LEVEL=error
local_start_node "$bin/tessera" tessera.log --issuer http://tessera.gateway --max-revocation-lag 1 || fail "/readyz is not 200"
tessera="$LOCAL_BASE"

api_port="$(local_free_port)"
"$bin/tessera-example-api" --port "$api_port" --issuer http://tessera.gateway --hs256-secret-file "$dir/secret" \
    --redis "unix://$dir/redis.sock" >"$dir/api.log" 2>&1 &
LOCAL_PIDS+=($!)
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$api_port/readyz" >/dev/null 2>&1 && break; sleep 0.05; done
curl -sf "http://127.0.0.1:$api_port/readyz" >/dev/null || fail "the example API node is not ready"

nginx_port="$(local_free_port)"
for file in nginx.conf verify-params.conf forward-identity.conf; do
    sed -e "s|@PREFIX@|$dir|g" -e "s|@LISTEN@|127.0.0.1:$nginx_port|g" -e "s|@API@|127.0.0.1:$api_port|g" \
        -e "s|@TESSERA@|${tessera#http://}|g" "examples/nginx/$file" >"$dir/$file"
done
"$nginx_binary" -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' 2>>"$dir/error.log" &
LOCAL_PIDS+=($!)
gateway="http://127.0.0.1:$nginx_port"
for _ in $(seq 1 100); do curl -s -o /dev/null "$gateway/public" 2>/dev/null && break; sleep 0.05; done

status() { curl -s -o "$dir/body" -D "$dir/headers" -w '%{http_code}' --max-time 5 "$@"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
login() { curl -sf --max-time 10 -X POST "$tessera/token" -d grant_type=password -d "username=$1" --data-urlencode "password=$2" | json access_token; }

curl -sf --max-time 10 -X POST "$tessera/users" -H 'Content-Type: application/json' \
    -d '{"username":"gina","password":"gateway-user-password"}' >/dev/null || fail "registration"
user="$(login gina gateway-user-password)" || fail "user login"
admin="$(login admin gateway-admin-password)" || fail "admin login"

[ "$(status "$gateway/public")" = 200 ] || fail "/public without a token"
[ "$(status "$gateway/me")" = 401 ] || fail "/me without a token answered $(cat "$dir/body")"
[ "$(status "$gateway/gateway/me" -H "Authorization: Bearer $user")" = 200 ] || fail "a valid token did not pass"
grep -q '"username":"gina"' "$dir/body" || fail "X-Auth-Username was not forwarded: $(cat "$dir/body")"
grep -q '"user_id":"[A-Za-z0-9_-]\{22\}"' "$dir/body" || fail "X-Auth-Subject was not forwarded: $(cat "$dir/body")"
[ "$(status "$gateway/gateway/me" -H "Authorization: Bearer $admin")" = 200 ] && grep -q '"roles":\["admin"\]' "$dir/body" \
    || fail "X-Auth-Roles was not forwarded: $(cat "$dir/body")"
[ "$(status "$gateway/gateway/me" -H "Authorization: Bearer $user" -H 'X-Auth-Roles: admin')" = 200 ] \
    && grep -q '"roles":\[\]' "$dir/body" || fail "a client's own X-Auth-Roles reached the API: $(cat "$dir/body")"
[ "$(status "$gateway/me" -H "Authorization: Bearer $user")" = 200 ] || fail "/me through the gateway"
[ "$(status "$gateway/admin" -H "Authorization: Bearer $user")" = 403 ] || fail "a user reached /admin"
[ "$(status "$gateway/admin" -H "Authorization: Bearer $admin")" = 200 ] || fail "an admin did not reach /admin"

[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$tessera/logout" -H "Authorization: Bearer $user")" = 204 ] || fail "logout"
[ "$(status "$gateway/me" -H "Authorization: Bearer $user")" = 401 ] || fail "a revoked token answered $(cat "$dir/body")"
grep -qi '^WWW-Authenticate: Bearer.*invalid_token' "$dir/headers" || fail "401 without the invalid_token challenge"

# The Python feed client of docs/api-nodes.md follows the same node and sees a logout.
credential="$("$bin/tessera" feed-credential issue gateway-test --redis "unix://$dir/redis.sock")" || fail "feed credential"
curl -sf --max-time 10 -X POST "$tessera/users" -H 'Content-Type: application/json' \
    -d '{"username":"hank","password":"gateway-user-password"}' >/dev/null || fail "registration"
python3 examples/feed-client/check.py "$tessera" "$credential" "$(login hank gateway-user-password)" || fail "the Python feed client"

# Tessera goes stale once Redis is gone: the gateway fails closed with 503 and Retry-After.
kill "${LOCAL_PIDS[0]}" && wait "${LOCAL_PIDS[0]}" 2>/dev/null || true
code=""
for _ in $(seq 1 60); do
    code="$(status "$gateway/me" -H "Authorization: Bearer $admin")"
    [ "$code" = 503 ] && break
    sleep 0.1
done
[ "$code" = 503 ] || fail "a stale Tessera answered $code through the gateway"
grep -qi '^Retry-After:' "$dir/headers" || fail "503 without Retry-After"
echo "nginx gateway test passed: public route, valid token with X-Auth-* forwarded (client's own replaced), 401 without and after logout (with the challenge), 403 for a missing role, the Python feed client, 503 with Retry-After when Tessera is stale"
