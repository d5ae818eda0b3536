#!/usr/bin/env bash
# Starts the local Redis from redis/redis.conf (data in .redis-data/) unless one already answers
# on 127.0.0.1:6379.
set -euo pipefail
cd "$(dirname "$0")/.."
if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "Redis already answers on 127.0.0.1:6379; using it." >&2
    exit 0
fi
mkdir -p .redis-data
redis-server redis/redis.conf --dir "$PWD/.redis-data" --daemonize yes \
    --pidfile "$PWD/.redis-data/redis.pid" --logfile "$PWD/.redis-data/redis.log"
for _ in $(seq 1 100); do
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && { echo "Started Redis on 127.0.0.1:6379 (data in .redis-data/)." >&2; exit 0; }
    sleep 0.1
done
echo "Redis did not start; see .redis-data/redis.log" >&2
exit 1
