#!/usr/bin/env bash
# Cross-node propagation: starts its own redis-server and two `tessera serve` nodes (A and B)
# on free loopback ports, then runs propagation.py (N revocations on A, default 1000, each
# timed until B rejects the token). Expects the release build made by http-load.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${PROPAGATION_COUNT:-1000}"
swift build -c release --product tessera >/dev/null 2>&1 || swift build -c release --product tessera
binary="$(swift build -c release --show-bin-path)/tessera"

source scripts/local-node.sh
local_init prop
local_start_redis
TESSERA_HS256_SECRET="$(head -c 48 /dev/urandom | base64)" TESSERA_LOG_LEVEL=error
export TESSERA_HS256_SECRET TESSERA_LOG_LEVEL
bases=()
for node in a b; do
    local_start_node "$binary" "tessera-$node.log" --issuer "http://tessera.bench" --lockout-threshold 0 --ip-failure-limit 0
    bases+=("$LOCAL_BASE")
done
password='benchmark password 1'
curl -sf -X POST "${bases[0]}/users" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench\",\"password\":\"$password\"}" >/dev/null
timeout 400 python3 "$PWD/benchmarks/propagation.py" "${bases[0]}" "${bases[1]}" bench "$password" "$count"
