#!/usr/bin/env bash
# Fault test: two `tessera serve` nodes on one redis-server (AOF, appendfsync everysec) under a
# mixed load of logins, refreshes, logouts, revocations and forced logouts (scripts/fault_load.py),
# while redis-server is killed with SIGKILL and restarted (twice) and node B is killed with
# SIGKILL and restarted. Afterwards, on both nodes, every revocation a node acknowledged must
# still reject and no token that was never revoked may be refused; then the nodes' logs and
# Redis's AOF are scanned for every password and token the load used.
# Loopback only; bounded (about 2 minutes plus the build); every process it starts is stopped
# by its PID on exit. Usage: scripts/fault-test.sh [path/to/tessera]   (default: a debug build)
# Exit status: 0 when nothing was lost, wrongly refused or leaked.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local-node.sh
local_binary "${1:-}"
binary="$LOCAL_BINARY"
local_init fault
phase() { echo "[$(date +%T)] $*"; }
fail() {
    cp -r "$LOCAL_DIR" "$LOCAL_DIR-kept"
    echo "fault test FAILED: $*; logs, AOF and report kept in $LOCAL_DIR-kept" >&2
    exit 1
}

# A process killed here leaves LOCAL_PIDS, so the exit trap never signals a reused PID.
kill9() {
    kill -9 "$1"
    wait "$1" 2>/dev/null || true
    local kept=() pid
    for pid in "${LOCAL_PIDS[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
    LOCAL_PIDS=("${kept[@]}")
}

local_start_redis || fail "redis-server"
head -c 48 /dev/urandom | base64 > "$LOCAL_DIR/secret"
admin_password="fault admin $(head -c 9 /dev/urandom | base64)"
export TESSERA_HS256_SECRET_FILE="$LOCAL_DIR/secret" TESSERA_ADMIN_USERNAME=admin TESSERA_ADMIN_PASSWORD="$admin_password"
# debug: the logs scanned for secrets hold every message a node writes at that level.
export TESSERA_LOG_LEVEL=debug
node_flags=(--lockout-threshold 0 --ip-failure-limit 0)
local_start_node "$binary" node-a.log "${node_flags[@]}" || fail "node A"
base_a="$LOCAL_BASE"
local_start_node "$binary" node-b.log "${node_flags[@]}" || fail "node B"
base_b="$LOCAL_BASE"
pid_b="$LOCAL_NODE_PID"
port_b="${base_b##*:}"
phase "redis-server $LOCAL_REDIS_PID, node A $base_a, node B $base_b ($pid_b)"

done_file="$LOCAL_DIR/faults-done"
python3 scripts/fault_load.py --nodes "$base_a" "$base_b" --admin "admin:$admin_password" \
    --done "$done_file" --deadline 240 --report "$LOCAL_DIR/report.json" --secrets "$LOCAL_DIR/secrets.txt" \
    --kills "$LOCAL_DIR/redis-kills" &
load_pid=$!
LOCAL_PIDS+=("$load_pid")

sleep 15
phase "kill -9 redis-server $LOCAL_REDIS_PID"
date +%s.%N >> "$LOCAL_DIR/redis-kills"
kill9 "$LOCAL_REDIS_PID"
sleep 3
local_start_redis || fail "redis-server did not come back"
phase "redis-server restarted ($LOCAL_REDIS_PID), AOF replayed"
sleep 15
phase "kill -9 node B $pid_b"
kill9 "$pid_b"
sleep 2
# Node B may wait for readiness while the load keeps Redis busy; it restarts on its port.
LOCAL_PORT="$port_b" local_start_node "$binary" node-b.log "${node_flags[@]}" || fail "node B did not come back"
pid_b="$LOCAL_NODE_PID"
phase "node B restarted ($pid_b)"
sleep 15
phase "kill -9 redis-server $LOCAL_REDIS_PID, right under the load"
date +%s.%N >> "$LOCAL_DIR/redis-kills"
kill9 "$LOCAL_REDIS_PID"
sleep 1
local_start_redis || fail "redis-server did not come back"
phase "redis-server restarted ($LOCAL_REDIS_PID)"
sleep 15
touch "$done_file"
phase "faults over: checking the ledger on both nodes"
status=0
wait "$load_pid" || status=$?

# Nothing secret in the nodes' logs or anywhere in what Redis wrote (the AOF holds every write).
[ -f "$LOCAL_DIR/report.json" ] || fail "the load stopped before its report"
# One pass of grep over every file for all the secrets at once (fixed strings).
leaks="$({ grep -rahoF -f "$LOCAL_DIR/secrets.txt" "$LOCAL_DIR"/node-*.log "$LOCAL_DIR/appendonlydir" || true; } | sort -u | wc -l)"
# The control: the same scan does see what is there (a username, a session id in the logs).
grep -raqF '"username":"fault0"' "$LOCAL_DIR/appendonlydir" || fail "the AOF scan finds not even a username"
grep -qF 'tessera.session.id' "$LOCAL_DIR"/node-*.log || fail "the log scan finds not even a session id"
echo "secrets scanned: $(grep -c . "$LOCAL_DIR/secrets.txt") in $(cat "$LOCAL_DIR"/node-*.log | wc -l) log lines and" \
    "$(du -sk "$LOCAL_DIR/appendonlydir" | cut -f1) KiB of AOF; leaked: $leaks"
[ "$status" = 0 ] || fail "the ledger check failed (report: $LOCAL_DIR/report.json)"
[ "$leaks" = 0 ] || fail "$leaks secrets leaked"
echo "fault test passed: no acknowledged revocation lost, no live token refused, no secret stored or logged"
