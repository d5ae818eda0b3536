#!/usr/bin/env bash
# Every Tessera benchmark, by hand (`make bench`); never run by CI or `make test`.
#   1. token verify/sign against raw HMAC, swift-crypto, jwt-kit and Ed25519 (ordo-one/benchmark)
#   2. the revocation view's resident bytes per entry at 1M entries, and the longest a token
#      check waits while the view is pruned (ordo-one/benchmark)
#   3. HTTP load with wrk on loopback, as ratios to /healthz, and the login ceiling
#   4. cross-node revocation propagation
#   5. API nodes: the example API node's protected route with the TesseraVerifier middleware,
#      without authentication and through /auth/verify; propagation to each kind of API node
# Takes about 10 minutes warm (a cold release build of the benchmark package adds ~8).
# Environment: DURATION (wrk seconds per route, 5), PROPAGATION_COUNT (1000).
set -euo pipefail
cd "$(dirname "$0")"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
out="$(mktemp -d /tmp/tsr-bench-out-XXXXXX)"
trap 'rm -rf "$out"' EXIT

echo "# Tessera benchmarks, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), $(swift --version 2>&1 | head -1)"
echo
echo "## 1. Token verify and sign (per operation; p50 of the samples)"
swift build --scratch-path .build-bench -c release >/dev/null 2>&1 || swift build --scratch-path .build-bench -c release
swift package --scratch-path .build-bench --allow-writing-to-package-directory benchmark \
    --target TokenVerify --no-progress --format markdown --path stdout >"$out/tokens.md" 2>"$out/tokens.err" \
    || { cat "$out/tokens.err" "$out/tokens.md" >&2; exit 1; }
python3 token-table.py "$out/tokens.md"
echo
echo "## 2. Revocation view memory"
"$(swift build --scratch-path .build-bench -c release --show-bin-path)/RevocationViewMemory"
echo
echo "## 2b. Token checks while another thread prunes a 1M-entry revocation view"
swift package --scratch-path .build-bench --allow-writing-to-package-directory benchmark \
    --target RevocationPrune --no-progress --format markdown --path stdout 2>"$out/prune.err" \
    | grep -v -e '^$' -e 'Warning' -e '^Note' || { cat "$out/prune.err" >&2; exit 1; }
echo
echo "## 3. HTTP on loopback (wrk -t1, ${DURATION:-5} s per row, 32 connections unless the row says otherwise; wrk, node and Redis share the cores)"
./http-load.sh
echo
echo "## 4. Cross-node propagation (two nodes, one Redis)"
./propagation.sh
echo
echo "## 5. API nodes (the example API node; wrk -t1, ${DURATION:-5} s per row, 32 connections)"
./api-node-load.sh
