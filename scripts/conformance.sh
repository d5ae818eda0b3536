#!/usr/bin/env bash
# Checks a live node against docs/openapi.yaml with Schemathesis: no 5xx, and every answer's
# status, content type, headers and body as the spec says. Starts its own redis-server and
# `tessera serve` on free loopback ports, seeds users so the protected and admin routes answer
# 2xx too, and stops every process it started, by PID.
# Usage: scripts/conformance.sh [--max-time SECONDS] [path/to/tessera]   (default: 600 s, a debug build)
# Schemathesis comes from PyPI into a virtualenv in .conformance/ (git-ignored), installed once.
set -euo pipefail
cd "$(dirname "$0")/.."
max_time=600
if [ "${1:-}" = "--max-time" ]; then
    max_time="$2"
    shift 2
fi
source scripts/local-node.sh
local_binary "${1:-}"
binary="$LOCAL_BINARY"

venv=.conformance/venv
requirements=scripts/conformance/requirements.txt
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
    echo "Installing $(cat "$requirements") into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
fi

local_init conformance
# The logs outlive the temp dir in .conformance/last-run/, for reading after a failure.
keep_logs() { rm -rf .conformance/last-run && mkdir -p .conformance/last-run && cp "$LOCAL_DIR"/*.log .conformance/last-run/ 2>/dev/null || true; }
fail() {
    echo "conformance FAILED: $*" >&2
    [ -f "$LOCAL_DIR/tessera.log" ] && tail -20 "$LOCAL_DIR/tessera.log" >&2
    keep_logs
    echo "logs: .conformance/last-run/" >&2
    exit 1
}

local_start_redis || fail "redis-server"
head -c 48 /dev/urandom | base64 > "$LOCAL_DIR/secret"
export TESSERA_HS256_SECRET_FILE="$LOCAL_DIR/secret"
export TESSERA_ADMIN_USERNAME=conformance-admin TESSERA_ADMIN_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '\n/+=')"
# Fuzzed logins fail by the thousand: with lockouts on, the admin's own logins would soon get 429.
local_start_node "$binary" tessera.log --lockout-threshold 0 --ip-failure-limit 0 || fail "/readyz is not 200"
export CONFORMANCE_BASE_URL="$LOCAL_BASE"

# alice is the spec's example user (with the example's password), so the examples reach 2xx;
# the hooks log logout-user in afresh for each logout.
export CONFORMANCE_USERNAME=logout-user CONFORMANCE_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '\n/+=')"
for user in "alice:correct horse battery" "$CONFORMANCE_USERNAME:$CONFORMANCE_PASSWORD"; do
    curl -sf -X POST "$LOCAL_BASE/users" -H 'Content-Type: application/json' \
        -d "{\"username\":\"${user%%:*}\",\"password\":\"${user#*:}\"}" >/dev/null || fail "registering ${user%%:*}"
done
curl -sf -X POST "$LOCAL_BASE/token" -d username=alice --data-urlencode 'password=correct horse battery' >/dev/null \
    || fail "logging alice in"
# A revoked session, so the revocation feed's snapshot holds a SET from the start.
alice_token="$(curl -sf -X POST "$LOCAL_BASE/token" -d username=alice --data-urlencode 'password=correct horse battery' \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')" || fail "logging alice in again"
curl -sf -X POST "$LOCAL_BASE/logout" -H "Authorization: Bearer $alice_token" >/dev/null || fail "logging alice out"
# The revocation feed's routes take an API node's feed credential.
CONFORMANCE_FEED_CREDENTIAL="$("$binary" feed-credential issue conformance --redis "unix://$LOCAL_DIR/redis.sock")" \
    || fail "issuing a feed credential"
export CONFORMANCE_FEED_CREDENTIAL

echo "Schemathesis against $LOCAL_BASE for at most ${max_time}s" >&2
# One worker: with two, CPython 3.11's ast.parse (which Hypothesis calls to describe its
# filters) fails now and then with "AST constructor recursion depth mismatch", a crash of the
# tool rather than a finding. Stateful testing needs links the spec does not declare.
status=0
SCHEMATHESIS_HOOKS=hooks PYTHONPATH=scripts/conformance "$venv/bin/schemathesis" run docs/openapi.yaml \
    --url "$LOCAL_BASE" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing \
    --max-time "$max_time" \
    --workers 1 \
    --request-timeout 10 \
    --generation-database .conformance/examples \
    --no-color \
    >"$LOCAL_DIR/schemathesis.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    cat "$LOCAL_DIR/schemathesis.log"
    fail "Schemathesis exited $status"
fi
cases="$(grep -oE '[0-9]+ generated' "$LOCAL_DIR/schemathesis.log" | tail -1 | cut -d' ' -f1)"
kill -TERM "$LOCAL_NODE_PID"
wait "$LOCAL_NODE_PID" || fail "serve did not exit 0 on SIGTERM"
keep_logs
echo "conformance passed: ${cases:-?} generated requests, no 5xx, every answer as docs/openapi.yaml says ($(grep -m1 '^Seed:' .conformance/last-run/schemathesis.log))"
