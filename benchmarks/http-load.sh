#!/usr/bin/env bash
# HTTP load on loopback: builds `tessera` in release mode, starts its own redis-server and one
# node on free ports in /tmp/tsr-bench-*, and runs wrk against each route for DURATION seconds
# (default 5) with 32 connections on one wrk thread. Prints req/s, p50 and p99 per route and
# the ratio of each route's throughput to /healthz in the same run, then the login ceiling.
# wrk, the node and Redis share this machine's cores: compare ratios, not absolute figures.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${DURATION:-5}"
connections="${CONNECTIONS:-32}"
swift build -c release --product tessera >/dev/null 2>&1 || swift build -c release --product tessera
binary="$(swift build -c release --show-bin-path)/tessera"
bench="$PWD/benchmarks"

source scripts/local-node.sh
local_init bench
dir="$LOCAL_DIR"
fail() { echo "http load FAILED: $*" >&2; [ -f "$dir/tessera.log" ] && tail -20 "$dir/tessera.log" >&2; exit 1; }

local_start_redis || fail "redis-server"
TESSERA_HS256_SECRET="$(head -c 48 /dev/urandom | base64)" TESSERA_LOG_LEVEL=error
export TESSERA_HS256_SECRET TESSERA_LOG_LEVEL
local_start_node "$binary" tessera.log --issuer "http://tessera.bench" --lockout-threshold 0 --ip-failure-limit 0 \
    || fail "/readyz is not 200"
base="$LOCAL_BASE"

password='benchmark password 1'
curl -sf -X POST "$base/users" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench\",\"password\":\"$password\"}" >/dev/null || fail "registration"
json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
login() { curl -sf -X POST "$base/token" -d grant_type=password -d username=bench --data-urlencode "password=$password"; }
export ACCESS_TOKEN="$(login | json access_token)"

# The hash time: sequential logins, one at a time, so each is one yescrypt hash plus one
# loopback round trip (an upper bound on the hash alone).
login_times="$dir/login-times"
for _ in $(seq 1 20); do
    curl -sf -o /dev/null -w '%{time_total}\n' -X POST "$base/token" -d grant_type=password -d username=bench \
        --data-urlencode "password=$password" >>"$login_times"
done

# One refresh chain per connection, so no refresh token is ever presented twice.
export REFRESH_TOKENS="$dir/refresh-tokens"
for _ in $(seq 1 "$connections"); do login | json refresh_token >>"$REFRESH_TOKENS"; done

results="$dir/results"
run() {  # name, lua script or "", path
    local name="$1" script="$2" path="$3"
    local args=(-t1 -c"$connections" -d"${duration}s" --latency --timeout 5s)
    [ -n "$script" ] && args+=(-s "$bench/$script")
    echo "== $name" >>"$results"
    wrk "${args[@]}" "$base$path" >>"$results" 2>&1 || fail "wrk $name"
}
run "GET /healthz" "" /healthz
run "GET /auth/verify" bearer.lua /auth/verify
run "GET /users/me" bearer.lua /users/me
WRK_CONTENT_TYPE=application/x-www-form-urlencoded \
    WRK_BODY="grant_type=password&username=bench&password=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote_plus(sys.argv[1]))' "$password")" \
    run "POST /token password" post.lua /token
run "POST /token refresh" refresh.lua /token

python3 "$bench/wrk-table.py" "$results" "$login_times" "$(nproc)" "$duration"
