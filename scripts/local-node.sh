# Sourced, not run: a throwaway redis-server and `tessera serve` nodes on loopback for the smoke
# test and the benchmarks. Everything lives in one temp dir and every process started here is
# stopped by its PID when the sourcing script exits.
#   local_binary [PATH]             $LOCAL_BINARY: PATH, or else a debug build of tessera (built first)
#   local_init NAME                 make the temp dir /tmp/tsr-NAME-XXXXXX ($LOCAL_DIR), set the exit trap
#   local_start_redis               redis-server on $LOCAL_DIR/redis.sock, AOF on; waits for PING; sets
#                                   $LOCAL_REDIS_PID (call it again after a kill: the AOF is replayed)
#   local_start_node BINARY LOG ... `BINARY serve --port P --redis unix://… ...`, logging to
#                                   $LOCAL_DIR/LOG; waits for /readyz; sets $LOCAL_BASE and $LOCAL_NODE_PID.
#                                   P is free port, or $LOCAL_PORT when set (to restart a node where it was)
# Set TESSERA_* variables (the secret, the admin) in the environment before starting a node.

LOCAL_PIDS=()

local_cleanup() {
    local pid
    for pid in "${LOCAL_PIDS[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    rm -rf "$LOCAL_DIR"
}

local_binary() {
    LOCAL_BINARY="${1:-}"
    if [ -z "$LOCAL_BINARY" ]; then
        swift build --product tessera >/dev/null 2>&1 || swift build --product tessera
        LOCAL_BINARY="$(swift build --show-bin-path)/tessera"
    fi
}

local_init() {
    LOCAL_DIR="$(mktemp -d "/tmp/tsr-$1-XXXXXX")"
    trap local_cleanup EXIT
}

local_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

local_start_redis() {
    redis-server --port 0 --unixsocket "$LOCAL_DIR/redis.sock" --dir "$LOCAL_DIR" --appendonly yes --save "" \
        --logfile "$LOCAL_DIR/redis.log" --daemonize no &
    LOCAL_REDIS_PID=$!
    LOCAL_PIDS+=("$LOCAL_REDIS_PID")
    for _ in $(seq 1 100); do redis-cli -s "$LOCAL_DIR/redis.sock" ping >/dev/null 2>&1 && return 0; sleep 0.05; done
    echo "redis-server did not answer PING; see $LOCAL_DIR/redis.log" >&2
    return 1
}

local_start_node() {
    local binary="$1" log="$2" port
    shift 2
    port="${LOCAL_PORT:-$(local_free_port)}"
    "$binary" serve --port "$port" --redis "unix://$LOCAL_DIR/redis.sock" "$@" >"$LOCAL_DIR/$log" 2>&1 &
    LOCAL_NODE_PID=$!
    LOCAL_PIDS+=("$LOCAL_NODE_PID")
    LOCAL_BASE="http://127.0.0.1:$port"
    for _ in $(seq 1 200); do curl -sf "$LOCAL_BASE/readyz" >/dev/null 2>&1 && return 0; sleep 0.05; done
    echo "tessera at $LOCAL_BASE is not ready; see $LOCAL_DIR/$log" >&2
    tail -20 "$LOCAL_DIR/$log" >&2
    return 1
}
