#!/usr/bin/env bash
# Cross-node propagation: starts its own redis-server and two `tessera serve` nodes (A and B)
# on free loopback ports, then runs propagation.py (N revocations on A, default 1000, each
# timed until B rejects the token). Expects the release build made by http-load.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${PROPAGATION_COUNT:-1000}"
swift build -c release --product tessera >/dev/null 2>&1 || swift build -c release --product tessera
binary="$(swift build -c release --show-bin-path)/tessera"

dir="$(mktemp -d /tmp/tsr-prop-XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    rm -rf "$dir"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

redis-server --port 0 --unixsocket "$dir/redis.sock" --dir "$dir" --appendonly yes --save "" \
    --logfile "$dir/redis.log" --daemonize no &
pids=($!)
for _ in $(seq 1 100); do redis-cli -s "$dir/redis.sock" ping >/dev/null 2>&1 && break; sleep 0.05; done

secret="$(head -c 48 /dev/urandom | base64)"
issuer="http://tessera.bench"
bases=()
for node in a b; do
    port="$(free_port)"
    TESSERA_HS256_SECRET="$secret" TESSERA_LOG_LEVEL=error "$binary" serve --port "$port" \
        --redis "unix://$dir/redis.sock" --issuer "$issuer" --lockout-threshold 0 --ip-failure-limit 0 \
        >"$dir/tessera-$node.log" 2>&1 &
    pids+=($!)
    bases+=("http://127.0.0.1:$port")
done
for base in "${bases[@]}"; do
    for _ in $(seq 1 200); do curl -sf "$base/readyz" >/dev/null 2>&1 && break; sleep 0.05; done
    curl -sf "$base/readyz" >/dev/null || { echo "propagation: $base not ready" >&2; exit 1; }
done
password='benchmark password 1'
curl -sf -X POST "${bases[0]}/users" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench\",\"password\":\"$password\"}" >/dev/null
timeout 400 python3 "$PWD/benchmarks/propagation.py" "${bases[0]}" "${bases[1]}" bench "$password" "$count"
