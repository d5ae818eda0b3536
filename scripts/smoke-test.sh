#!/usr/bin/env bash
# End-to-end check of the real binary, as the README shows it: starts its own redis-server and
# `tessera serve` on free loopback ports, runs the curl session of the login flow, and stops both.
# Usage: scripts/smoke-test.sh [path/to/tessera]   (default: a debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local-node.sh
local_binary "${1:-}"
binary="$LOCAL_BINARY"
local_init smoke
fail() { echo "smoke test FAILED: $*" >&2; [ -f "$LOCAL_DIR/tessera.log" ] && tail -20 "$LOCAL_DIR/tessera.log" >&2; exit 1; }

local_start_redis || fail "redis-server"
head -c 48 /dev/urandom | base64 > "$LOCAL_DIR/secret"
export TESSERA_HS256_SECRET_FILE="$LOCAL_DIR/secret" TESSERA_ADMIN_USERNAME=admin TESSERA_ADMIN_PASSWORD='smoke-admin-password'
local_start_node "$binary" tessera.log || fail "/readyz is not 200"
base="$LOCAL_BASE"
tessera_pid="$LOCAL_NODE_PID"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
login="$(curl -sf -X POST "$base/token" -d grant_type=password -d username=admin --data-urlencode 'password=smoke-admin-password')" \
    || fail "admin login"
access="$(echo "$login" | json access_token)"
refresh="$(echo "$login" | json refresh_token)"
[ "$(echo "$login" | json scope)" = "admin" ] || fail "admin scope"
curl -sf "$base/users/me" -H "Authorization: Bearer $access" | grep -q '"username":"admin"' || fail "/users/me"
curl -sf -X POST "$base/users" -H 'Content-Type: application/json' -d '{"username":"smoke","password":"smoke-password"}' >/dev/null \
    || fail "registration"
refreshed="$(curl -sf -X POST "$base/token" -d grant_type=refresh_token -d "refresh_token=$refresh")" || fail "refresh"
access2="$(echo "$refreshed" | json access_token)"
code="$(curl -s -o /dev/null -w '%{http_code}' "$base/auth/verify/some/path" -H "Authorization: Bearer $access2")"
[ "$code" = 200 ] || fail "/auth/verify answered $code"
# Read the whole answer first: `curl | grep -q` under pipefail fails whenever grep exits at its
# match before curl has written the rest (curl then exits 23 on the closed pipe).
metrics="$(curl -sf "$base/metrics")" || fail "/metrics did not answer 200"
grep -q 'tessera_verify_total' <<<"$metrics" || fail "/metrics lacks tessera_verify_total"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/logout" -H "Authorization: Bearer $access2")"
[ "$code" = 204 ] || fail "logout answered $code"
code="$(curl -s -o /dev/null -w '%{http_code}' "$base/users/me" -H "Authorization: Bearer $access2")"
[ "$code" = 401 ] || fail "a logged-out token answered $code"
kill -TERM "$tessera_pid"
wait "$tessera_pid" || fail "serve did not exit 0 on SIGTERM"
echo "smoke test passed: login, /users/me, registration, refresh, /auth/verify, /metrics, logout, 401 after logout, graceful SIGTERM"
