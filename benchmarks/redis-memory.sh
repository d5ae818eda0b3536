#!/usr/bin/env bash
# How much Redis memory one login costs (the events it appends plus the projections it writes),
# and how the log grows: N logins (and N refreshes) of one user through a real node, with
# Redis's INFO memory and MEMORY USAGE per key kind before and after.
# Usage: benchmarks/redis-memory.sh [path/to/tessera]   (LOGINS=300 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
logins="${LOGINS:-300}"
source scripts/local-node.sh
local_binary "${1:-}"
binary="$LOCAL_BINARY"
local_init memory
local_start_redis
head -c 48 /dev/urandom | base64 > "$LOCAL_DIR/secret"
export TESSERA_HS256_SECRET_FILE="$LOCAL_DIR/secret"
local_start_node "$binary" tessera.log --lockout-threshold 0 --ip-failure-limit 0
cli() { redis-cli -s "$LOCAL_DIR/redis.sock" "$@"; }
curl -sf -X POST "$LOCAL_BASE/users" -H 'Content-Type: application/json' \
    -d '{"username":"measured","password":"a long password"}' >/dev/null
used() { cli info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r'; }
before="$(used)"
events_before="$(cli xlen tessera:events)"
python3 - "$LOCAL_BASE" "$logins" <<'PY'
import json, sys, urllib.parse, urllib.request
base, count = sys.argv[1], int(sys.argv[2])
def post(fields):
    body = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(urllib.request.Request(base + "/token", data=body)) as response:
        return json.load(response)
for _ in range(count):
    login = post({"grant_type": "password", "username": "measured", "password": "a long password"})
    post({"grant_type": "refresh_token", "refresh_token": login["refresh_token"]})
PY
after="$(used)"
events_after="$(cli xlen tessera:events)"
appended=$((events_after - events_before))
echo "logins: $logins (each with one refresh); events appended: $appended"
echo "used_memory: +$((after - before)) bytes, $(((after - before) / logins)) bytes per login + refresh"
# MEMORY USAGE per kind of key, summed over every key of that kind.
cli --scan --pattern 'tessera:*' | while read -r key; do
    kind="${key#tessera:}"; kind="${kind%%:*}"
    echo "$kind $(cli memory usage "$key" samples 0)"
done | awk -v n="$logins" '{bytes[$1] += $2; keys[$1]++} END {
    for (k in bytes) printf "  %-16s %6d keys %10d bytes  %7.1f bytes per login\n", k, keys[k], bytes[k], bytes[k] / n }' | sort
echo "the log: $(cli memory usage tessera:events samples 0) bytes for $events_after events ($(( $(cli memory usage tessera:events samples 0) / events_after )) bytes per event)"
