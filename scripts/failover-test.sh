#!/usr/bin/env bash
# Failover test: a Redis master, one replica and three sentinels (redis-server --sentinel) on
# loopback, two `tessera serve` nodes on the redis-sentinel:// URL with --min-replicas-ack 1, and
# the mixed load and ledger of scripts/fault_load.py (logins, refreshes, logouts, revocations,
# forced logouts). The master is killed with SIGKILL under the load; the sentinels promote the
# replica, the nodes follow it without a restart, and the killed master is started again (it
# rejoins as a replica, so revocations are acknowledged again). Afterwards, on both nodes: every
# revocation a node acknowledged still rejects, no token that was never revoked is refused, and
# `tessera replay --check` against the new master is clean.
# Prints: the failover time, the time each node was closed, revocations acknowledged, lost (must be 0).
# Loopback only; bounded (about 70 s plus the build); every process it starts is stopped by
# its PID on exit. Usage: scripts/failover-test.sh [path/to/tessera]   (default: a debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local-node.sh
local_binary "${1:-}"
binary="$LOCAL_BINARY"
local_init failover
phase() { echo "[$(date +%T)] $*"; }
fail() {
    cp -r "$LOCAL_DIR" "$LOCAL_DIR-kept"
    echo "failover test FAILED: $*; logs and report kept in $LOCAL_DIR-kept" >&2
    exit 1
}
forget_pid() {
    local kept=() pid
    for pid in "${LOCAL_PIDS[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
    LOCAL_PIDS=("${kept[@]}")
}
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

# start_redis NAME PORT [ARGS...]: a redis-server with AOF (everysec) in $LOCAL_DIR/NAME; sets $started_pid.
start_redis() {
    local name="$1" port="$2"
    shift 2
    mkdir -p "$LOCAL_DIR/$name"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$LOCAL_DIR/$name" --appendonly yes --appendfsync everysec \
        --save "" --logfile "$LOCAL_DIR/$name/redis.log" --daemonize no "$@" &
    started_pid=$!
    LOCAL_PIDS+=("$started_pid")
    for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.05; done
    fail "redis-server $name did not answer PING"
}
sentinel_master_port() {
    redis-cli -p "${sentinel_ports[0]}" sentinel get-master-addr-by-name tessera 2>/dev/null | sed -n 2p
}

port_a="$(local_free_port)"; port_b="$(local_free_port)"
start_redis a "$port_a"; pid_a="$started_pid"
start_redis b "$port_b" --replicaof 127.0.0.1 "$port_a"; pid_b="$started_pid"
declare -A pid_of=([$port_a]="$pid_a" [$port_b]="$pid_b")
sentinel_ports=()
for index in 0 1 2; do
    port="$(local_free_port)"
    cat > "$LOCAL_DIR/sentinel-$index.conf" <<CONF
port $port
bind 127.0.0.1
daemonize no
dir $LOCAL_DIR
logfile $LOCAL_DIR/sentinel-$index.log
sentinel monitor tessera 127.0.0.1 $port_a 2
sentinel down-after-milliseconds tessera 1000
sentinel failover-timeout tessera 5000
sentinel parallel-syncs tessera 1
CONF
    redis-server "$LOCAL_DIR/sentinel-$index.conf" --sentinel &
    LOCAL_PIDS+=("$!")
    sentinel_ports+=("$port")
done
# Ready: the replica in sync, and every sentinel sees the replica and the two other sentinels.
ready=0
for _ in $(seq 1 200); do
    if redis-cli -p "$port_b" info replication | grep -q master_link_status:up; then
        ready=1
        for port in "${sentinel_ports[@]}"; do
            [ "$(redis-cli -p "$port" sentinel replicas tessera 2>/dev/null | grep -c '^name$')" -ge 1 ] || ready=0
            [ "$(redis-cli -p "$port" sentinel sentinels tessera 2>/dev/null | grep -c '^name$')" -ge 2 ] || ready=0
        done
    fi
    [ "$ready" = 1 ] && break
    sleep 0.1
done
[ "$ready" = 1 ] || fail "the sentinels did not see the replica and each other"
url="redis-sentinel://127.0.0.1:${sentinel_ports[0]},127.0.0.1:${sentinel_ports[1]},127.0.0.1:${sentinel_ports[2]}/tessera"
phase "master :$port_a, replica :$port_b, sentinels ${sentinel_ports[*]}"

head -c 48 /dev/urandom | base64 > "$LOCAL_DIR/secret"
admin_password="failover admin $(head -c 9 /dev/urandom | base64)"
export TESSERA_HS256_SECRET_FILE="$LOCAL_DIR/secret" TESSERA_ADMIN_USERNAME=admin TESSERA_ADMIN_PASSWORD="$admin_password"
export TESSERA_REDIS="$url" TESSERA_MIN_REPLICAS_ACK=1 TESSERA_REPLICA_ACK_TIMEOUT=0.5
bases=()
for name in node-a node-b; do
    port="$(local_free_port)"
    "$binary" serve --port "$port" --lockout-threshold 0 --ip-failure-limit 0 >"$LOCAL_DIR/$name.log" 2>&1 &
    LOCAL_PIDS+=("$!")
    bases+=("http://127.0.0.1:$port")
    for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.05; done
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || fail "$name is not ready"
done
phase "node A ${bases[0]}, node B ${bases[1]}, on $url"

done_file="$LOCAL_DIR/faults-done"
python3 scripts/fault_load.py --nodes "${bases[0]}" "${bases[1]}" --admin "admin:$admin_password" \
    --done "$done_file" --deadline 150 --report "$LOCAL_DIR/report.json" --secrets "$LOCAL_DIR/secrets.txt" \
    --kills "$LOCAL_DIR/redis-kills" > "$LOCAL_DIR/load.out" 2>&1 &
load_pid=$!
LOCAL_PIDS+=("$load_pid")

sleep 15
master_port="$(sentinel_master_port)"
[ "$master_port" = "$port_a" ] || fail "the sentinels name :$master_port, not :$port_a"
phase "kill -9 of the master :$master_port (pid ${pid_of[$master_port]})"
killed_at="$(now)"
echo "$killed_at" >> "$LOCAL_DIR/redis-kills"
kill -9 "${pid_of[$master_port]}"
wait "${pid_of[$master_port]}" 2>/dev/null || true
forget_pid "${pid_of[$master_port]}"
promoted_at=""
for _ in $(seq 1 300); do
    if [ "$(sentinel_master_port)" = "$port_b" ] && redis-cli -p "$port_b" role 2>/dev/null | head -1 | grep -q master; then
        promoted_at="$(now)"
        break
    fi
    sleep 0.05
done
[ -n "$promoted_at" ] || fail "the sentinels did not promote the replica within 15 s"
failover_seconds="$(elapsed "$killed_at" "$promoted_at")"
phase "replica :$port_b promoted after ${failover_seconds} s"
# Both nodes serve again, by themselves.
served_again=""
for _ in $(seq 1 300); do
    if curl -sf "${bases[0]}/readyz" >/dev/null && curl -sf "${bases[1]}/readyz" >/dev/null; then served_again="$(now)"; break; fi
    sleep 0.05
done
[ -n "$served_again" ] || fail "the nodes did not serve again within 15 s of the promotion"
phase "both nodes ready again $(elapsed "$killed_at" "$served_again") s after the kill"
# The old master comes back (as a supervisor would restart it); the sentinels make it a replica.
start_redis a "$port_a"
pid_of[$port_a]="$started_pid"
phase "old master restarted on :$port_a; the sentinels turn it into a replica"
replica_again=""
for _ in $(seq 1 400); do
    if redis-cli -p "$port_b" info replication 2>/dev/null | grep -q "port=$port_a,state=online"; then replica_again="$(now)"; break; fi
    sleep 0.05
done
[ -n "$replica_again" ] || fail "the old master did not rejoin as a replica within 20 s"
without_replica="$(elapsed "$promoted_at" "$replica_again")"
phase "the old master is an online replica again, $without_replica s after the promotion"
sleep 15
touch "$done_file"
phase "faults over: checking the ledger on both nodes"
status=0
wait "$load_pid" || status=$?
cat "$LOCAL_DIR/load.out"
[ -f "$LOCAL_DIR/report.json" ] || fail "the load stopped before its report"

phase "tessera replay --check against the new master (through the sentinels)"
replay_status=0
"$binary" replay --check --redis "$url" > "$LOCAL_DIR/replay.out" 2>&1 || replay_status=$?
cat "$LOCAL_DIR/replay.out"
echo "failed requests on the nodes, by cause:"
grep -ho 'tessera.error.code=[A-Za-z]*' "$LOCAL_DIR"/node-*.log | sort | uniq -c || true
restarts="$(grep -c 'starting tessera' "$LOCAL_DIR"/node-*.log | awk -F: '{s += $2} END {print s}')"

python3 - "$LOCAL_DIR/report.json" "$failover_seconds" "$(elapsed "$killed_at" "$served_again")" "$restarts" "$without_replica" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
print(f"failover time (kill -9 to the sentinels naming the promoted replica): {sys.argv[2]} s")
print(f"kill -9 to both nodes ready again: {sys.argv[3]} s")
print(f"promotion to the old master back as an online replica (revocations 503 meanwhile): {sys.argv[5]} s")
print(f"operations: {report['operations_total']} in {report['seconds_of_load']} s")
for base, seconds in report["closed_seconds"].items():
    print(f"node {base} closed: {seconds} s in {report['closed_spells'][base]} spell(s)")
print(f"revocations acknowledged: {report['revocations_acknowledged']}"
      f" ({report['acknowledged_within_1s_before_a_redis_kill']} within the second before the kill)")
print(f"lost: {report['lost']}")
print(f"wrongly refused: {report['wrongly_refused']}")
print(f"node starts (2 = no restart): {sys.argv[4]}")
PY
[ "$status" = 0 ] || fail "the ledger check failed (report: $LOCAL_DIR/report.json)"
[ "$replay_status" = 0 ] || fail "tessera replay --check found differences"
[ "$restarts" = 2 ] || fail "a node was restarted"
echo "failover test passed: no acknowledged revocation lost, no live token refused, replay clean, no node restarted"
