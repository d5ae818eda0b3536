#!/usr/bin/env bash
# API nodes on loopback: builds `tessera` and `tessera-example-api` in release mode, starts its own
# redis-server, one Tessera node and two example API nodes (one following Redis, one the Tessera
# node's revocation feed), then
#   1. wrk against the Redis-fed API node: GET /me (the TesseraVerifier middleware), GET /public
#      (the same answer without authentication) and GET /remote/me (the same route authorised by
#      calling the Tessera node's /auth/verify over loopback HTTP), as ratios in one run;
#   2. propagation from a logout on the Tessera node to a 401 on each kind of API node.
# wrk, the nodes and Redis share this machine's cores: compare ratios, not absolute figures.
# Environment: DURATION (wrk seconds per route, 5), CONNECTIONS (32), PROPAGATION_COUNT (1000).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${DURATION:-5}"
connections="${CONNECTIONS:-32}"
count="${PROPAGATION_COUNT:-1000}"
for product in tessera tessera-example-api; do
    swift build -c release --product "$product" >/dev/null 2>&1 || swift build -c release --product "$product"
done
bin="$(swift build -c release --show-bin-path)"
bench="$PWD/benchmarks"

source scripts/local-node.sh
local_init apinode
dir="$LOCAL_DIR"
fail() { echo "API node benchmark FAILED: $*" >&2; for log in "$dir"/*.log; do echo "== $log" >&2; tail -10 "$log" >&2; done; exit 1; }

local_start_redis || fail "redis-server"
head -c 48 /dev/urandom | base64 >"$dir/secret"
export TESSERA_HS256_SECRET_FILE="$dir/secret" TESSERA_LOG_LEVEL=error
local_start_node "$bin/tessera" tessera.log --issuer http://tessera.bench --lockout-threshold 0 --ip-failure-limit 0 \
    || fail "/readyz is not 200"
tessera="$LOCAL_BASE"
"$bin/tessera" feed-credential issue bench-api --redis "unix://$dir/redis.sock" >"$dir/credential" || fail "feed credential"

start_api() {  # log, flags...
    local log="$1" port
    shift
    port="$(local_free_port)"
    "$bin/tessera-example-api" --port "$port" --issuer http://tessera.bench --hs256-secret-file "$dir/secret" "$@" >"$dir/$log" 2>&1 &
    LOCAL_PIDS+=($!)
    API_BASE="http://127.0.0.1:$port"
    for _ in $(seq 1 200); do curl -sf "$API_BASE/readyz" >/dev/null 2>&1 && return 0; sleep 0.05; done
    return 1
}
start_api api-redis.log --redis "unix://$dir/redis.sock" --remote-verify "$tessera/auth/verify" || fail "Redis-fed API node"
redis_api="$API_BASE"
start_api api-feed.log --feed "$tessera" --feed-credential-file "$dir/credential" || fail "feed-fed API node"
feed_api="$API_BASE"

password='benchmark password 1'
curl -sf -X POST "$tessera/users" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench\",\"password\":\"$password\"}" >/dev/null || fail "registration"
ACCESS_TOKEN="$(curl -sf -X POST "$tessera/token" -d grant_type=password -d username=bench --data-urlencode "password=$password" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')" || fail "login"
export ACCESS_TOKEN

results="$dir/results"
run() {  # name, kind, path
    printf '== %s\t%s\t%s\n' "$1" "$2" "$connections" >>"$results"
    wrk -t1 -c"$connections" -d"${duration}s" --latency --timeout 5s -s "$bench/bearer.lua" "$redis_api$3" >>"$results" 2>&1 || fail "wrk $1"
}
run "GET /public (no authentication)" floor /public
run "GET /me (TesseraVerifier middleware)" plain /me
run "GET /remote/me (/auth/verify over loopback)" plain /remote/me
python3 "$bench/api-node-table.py" "$results"

echo
echo "Propagation from a logout on the Tessera node to a 401 on each API node ($count revocations each):"
for kind in redis feed; do
    base="$redis_api"
    [ "$kind" = feed ] && base="$feed_api"
    printf '  %-5s ' "$kind:"
    timeout 400 python3 "$bench/propagation.py" "$tessera" "$base" bench "$password" "$count" /me | sed -n 1p
done
