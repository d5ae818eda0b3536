#!/usr/bin/env bash
# `make fuzz`: builds the fuzz targets with libFuzzer and AddressSanitizer (LeakSanitizer on) and
# runs each in turn, on one core, for FUZZ_SECONDS (60) seconds, starting from its seed corpus in
# fuzz/corpus/<target>. Fails if any target crashes, leaks, times out, runs out of memory or breaks
# one of its invariants; the input that did it is saved under .build/fuzz-work/<target>/artifacts/.
# New inputs the fuzzer finds go to .build/fuzz-work/<target>/corpus (kept between runs, not
# committed). Prints a table of the figures at the end.
#   FUZZ_SECONDS   seconds per target (60)
#   FUZZ_TARGETS   the targets to run (all four)
#   FUZZ_ARGS      extra libFuzzer flags
set -uo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-60}"
targets="${FUZZ_TARGETS:-FuzzTokenVerifier FuzzJSONReader FuzzOAuthRequest FuzzAuthorization}"
flags=(-c debug --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)

swift build "${flags[@]}" 2>&1 | grep -E "error|warning: .*fuzz/Sources|Build complete" || true
swift build "${flags[@]}" >/dev/null 2>&1 || { swift build "${flags[@]}"; exit 1; }
bin="$(swift build "${flags[@]}" --show-bin-path)"

declare -A dictionaries=(
    [FuzzTokenVerifier]=json.dict [FuzzJSONReader]=json.dict [FuzzOAuthRequest]=form.dict [FuzzAuthorization]=authorization.dict
)
work=.build/fuzz-work
rows=()
failed=0
for target in $targets; do
    mkdir -p "$work/$target/corpus" "$work/$target/artifacts"
    log="$work/$target/log"
    echo "== $target: $seconds s"
    # No Swift backtracer: it reads the crashed thread's stack from another thread, which ASan
    # reports as an overflow of its own.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=1:abort_on_error=0" \
        "$bin/$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        -dict="dictionaries/${dictionaries[$target]}" -artifact_prefix="$work/$target/artifacts/" \
        ${FUZZ_ARGS:-} "$work/$target/corpus" "corpus/$target" >"$log" 2>&1
    status=$?
    grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^Done |ERROR:|invariant broken|Test unit written|^stat::" "$log" | tail -12
    last="$(grep -E "^#[0-9]+[[:space:]]" "$log" | tail -1)"
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
    cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")"
    ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")"
    corp="$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")"
    # One saved input per finding: crash-* (a crash, a sanitizer report or a broken invariant),
    # timeout-*, oom-*, leak-*.
    crashes="$(grep -c -E "Test unit written to .*/(crash|timeout|oom)-" "$log")"
    leaks="$(grep -c -E "Test unit written to .*/leak-" "$log")"
    result=ok
    if [ "$status" -ne 0 ]; then
        result="FAILED (exit $status, see $log)"
        failed=1
    fi
    rows+=("| $target | ${runs:-?} | ${rate:-?} | ${corp:-?} | ${cov:-?} / ${ft:-?} | $crashes | $leaks | $result |")
done

echo
echo "fuzz: $seconds s per target, $(date -u +%Y-%m-%dT%H:%MZ), $(swift --version 2>&1 | head -1)"
echo "| target | executions | exec/s | corpus (inputs/bytes) | cov / ft | crashes | leaks | result |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit "$failed"
