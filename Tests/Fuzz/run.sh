#!/usr/bin/env bash
# Runs every fuzz target (or those named) for FUZZ_SECONDS each with libFuzzer and
# AddressSanitizer (leak detection on), starting from Tests/Fuzz/Corpus/<target> plus private-key
# seeds generated here (no key is committed). New inputs go to a scratch corpus, never into the
# tree. Prints one line per target with its executions; exits 1 on the first crash, leak or
# timeout, leaving the input under $FUZZ_WORK/<target>/artifacts/ and its report in
# $FUZZ_WORK/<target>/log.
#
#   Tests/Fuzz/run.sh BINARY [target...]      (make fuzz, make fuzz-smoke)
set -euo pipefail
[[ $# -ge 1 && -x $1 ]] || { echo "Error: usage: Tests/Fuzz/run.sh BINARY [target...] (BINARY: the fuzz build of KubeIDFuzz)" >&2; exit 1; }
binary=$(realpath "$1")
shift
cd "$(dirname "$0")"
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(jwt json form odata-filter kubeconfig exec-info certificate)
seconds=${FUZZ_SECONDS:-60}
work=${FUZZ_WORK:-$(mktemp -d /tmp/kubeid-fuzz.XXXXXX)}
mkdir -p "$work"

seed_private_keys() {
    local dir=$1
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert-and-key.pem" -days 1 -subj /CN=fuzz 2>/dev/null
    cat "$dir/key.pem" >> "$dir/cert-and-key.pem"
    openssl pkcs12 -export -in "$dir/cert-and-key.pem" -passout pass:fuzz -out "$dir/bundle.p12"
    openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkey -out "$dir/ec-key.pem"
}

for target in "${targets[@]}"; do
    [[ -d Corpus/$target ]] || { echo "Error: no corpus for fuzz target '$target'" >&2; exit 1; }
    dir=$work/$target
    mkdir -p "$dir/corpus" "$dir/artifacts"
    cp Corpus/"$target"/* "$dir/corpus/"
    [[ $target != certificate ]] || seed_private_keys "$dir/corpus"
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a runaway allocation is a finding.
    if ! KUBEID_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=1 "$binary" "$dir/corpus" \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
            -artifact_prefix="$dir/artifacts/" > "$dir/log" 2>&1; then
        echo "Error: fuzz target $target found a problem (input in $dir/artifacts/):" >&2
        grep -E "ERROR|SUMMARY|panic|Fatal error|deadly signal|Test unit written" "$dir/log" | head -20 >&2
        exit 1
    fi
    # A binary whose Swift code carries no coverage counters still runs, blind; that is a broken
    # build, not a clean result.
    if grep -q "Is the code instrumented for coverage" "$dir/log"; then
        echo "Error: fuzz target $target found no coverage: the binary is not instrumented (see the fuzz build in the Makefile)" >&2
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log")
    corpus=$(find "$dir/corpus" -type f | wc -l)
    printf '%-14s %10s executions in %ss (%s/s), corpus %s\n' "$target" "$runs" "$seconds" "$rate" "$corpus"
done
