#!/usr/bin/env bash
# HTTP load on loopback: builds `tessera` in release mode, starts its own redis-server and one
# node on free ports in /tmp/tsr-bench-*, and runs wrk against each route for DURATION seconds
# (default 5) on one wrk thread, with CONNECTIONS (32) connections unless the row says otherwise.
# Prints per route req/s, the rate of the answers that count (2xx; for refresh a 200 with a new
# token; for login a 200), the other answers by status, p50/p99, and the useful rate as a ratio
# of /healthz in the same run. Then the login ceiling: cores ÷ the hash time measured without
# HTTP (hash-time.py); logins at a concurrency equal to the hasher's threads, then at twice
# that (one login always waiting per thread, so no thread idles between hashes), as fractions
# of it; and logins far beyond threads + queue, where the excess gets a 503 after the hasher's
# 500 ms hold (wrk resends at once; the hold keeps its refusals from taking the hashing's cores).
# wrk, the node and Redis share this machine's cores: compare ratios, not absolute figures.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${DURATION:-5}"
connections="${CONNECTIONS:-32}"
# `tessera serve` sizes the password hasher with PasswordHasher.Configuration's defaults: one
# thread per usable core and a queue of 64 (no flag changes them).
hash_threads="$(nproc)"
hash_queue=64
overload=$((4 * (hash_threads + hash_queue)))
# BINARY=path runs another build of tessera (an older commit's, to compare side by side).
if [ -z "${BINARY:-}" ]; then
    swift build -c release --product tessera >/dev/null 2>&1 || swift build -c release --product tessera
fi
binary="${BINARY:-$(swift build -c release --show-bin-path)/tessera}"
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
user_id="$(curl -sf -X POST "$base/users" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')" \
    || fail "registration"

# Logins in one process: the access token of the bearer rows, and the refresh tokens of the
# refresh row, two sessions per connection (see refresh.lua).
logins() {  # count, field
    python3 - "$base" "$password" "$1" "$2" <<'PY' || fail "logins"
import http.client, json, sys, urllib.parse
base, password, count, field = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
connection = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc)
body = urllib.parse.urlencode({"grant_type": "password", "username": "bench", "password": password})
for _ in range(count):
    connection.request("POST", "/token", body, {"Content-Type": "application/x-www-form-urlencoded"})
    answer = connection.getresponse()
    if answer.status != 200:
        sys.exit(f"login answered {answer.status}: {answer.read()!r}")
    print(json.load(answer)[field])
PY
}
ACCESS_TOKEN="$(logins 1 access_token)"
REFRESH_TOKENS="$dir/refresh-tokens"
export ACCESS_TOKEN REFRESH_TOKENS
logins $((2 * connections)) refresh_token >"$REFRESH_TOKENS"

results="$dir/results"
# The node's CPU time (user + system, in clock ticks) from /proc: per row, wrk-table.py turns it
# into node CPU per request.
node_ticks() { awk '{print $14 + $15}' "/proc/$LOCAL_NODE_PID/stat"; }
run() {  # name, kind (for wrk-table.py), connections, lua script or "", path
    local name="$1" kind="$2" count="$3" script="$4" path="$5" before
    local args=(-t1 -c"$count" -d"${duration}s" --latency --timeout 5s)
    [ -n "$script" ] && args+=(-s "$bench/$script")
    printf '== %s\t%s\t%s\n' "$name" "$kind" "$count" >>"$results"
    before="$(node_ticks)"
    wrk "${args[@]}" "$base$path" >>"$results" 2>&1 || fail "wrk $name"
    printf 'node cpu ticks: %s\n' "$(($(node_ticks) - before))" >>"$results"
}
run "GET /healthz" floor "$connections" "" /healthz
run "GET /readyz" readyz "$connections" "" /readyz
run "GET /auth/verify" plain "$connections" bearer.lua /auth/verify
run "GET /users/me" plain "$connections" bearer.lua /users/me
run "POST /token refresh" refresh "$connections" refresh.lua /token
# The hash time, right before the login rows while the node idles: the user's stored yescrypt
# hash verified by libxcrypt directly.
stored_hash="$(redis-cli -s "$dir/redis.sock" HGET "tessera:user:$user_id" password_hash)"
python3 "$bench/hash-time.py" "$stored_hash" "$password" "${HASH_COUNT:-20}" "$(nproc)" >"$dir/hash.json" \
    || fail "hash time"
export WRK_CONTENT_TYPE=application/x-www-form-urlencoded
export WRK_BODY="grant_type=password&username=bench&password=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote_plus(sys.argv[1]))' "$password")"
run "POST /token password" login-one 1 post.lua /token
run "POST /token password" login-threads "$hash_threads" post.lua /token
run "POST /token password" login-saturated $((2 * hash_threads)) post.lua /token
run "POST /token password" login-overload "$overload" post.lua /token

python3 "$bench/wrk-table.py" "$results" "$dir/hash.json" "$(nproc)" "$hash_threads" "$hash_queue"
