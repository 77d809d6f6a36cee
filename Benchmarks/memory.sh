#!/usr/bin/env bash
# Resident memory of kubeid serve: idle, and while client-credentials tokens are issued until
# BENCH_TOKENS (default 1,000,000) have been answered, sampled after each wrk segment. A cache or
# buffer that grows with traffic shows as an RSS that keeps climbing after the warm-up segment.
#
#   KUBEID_BIN=.build/release/kubeid Benchmarks/memory.sh [kubeid serve flags]
#
# Prints idle RSS, RSS (and anonymous RSS) after the first segment (warm-up) and after each
# later one, and last `ratio (final/warm-up RSS):`. Fails if any response was not 2xx.
# Tunables: BENCH_TOKENS (1000000), BENCH_SEGMENT (20s), BENCH_THREADS (2), BENCH_CONNECTIONS (64).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_name=memory
# shellcheck source=Benchmarks/lib/kubeid-server.sh
. "$here/lib/kubeid-server.sh"
bench_require_kubeid
bench_require_tools wrk curl jq python3

target="${BENCH_TOKENS:-1000000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/kubeid-memory-bench.XXXXXX")"
trap 'bench_stop_server; rm -rf "$work"' EXIT
data="$work/data"
bench_start_server "$data" "$@"

# kB from /proc/PID/status: VmRSS (what the kernel charges) and RssAnon (heap and stacks, the
# allocator's share without the mapped binary and libraries).
rss() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$server_pid/status"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }

tid="$("$KUBEID_BIN" tenant create --name bench --data-dir "$data" "$@" | jq -r .id)"
sp_json="$("$KUBEID_BIN" sp create-for-rbac --tenant bench --name bench-client --data-dir "$data" "$@")"
export BENCH_CLIENT_ID BENCH_CLIENT_SECRET
BENCH_CLIENT_ID="$(jq -r .appId <<<"$sp_json")"
BENCH_CLIENT_SECRET="$(jq -r .password <<<"$sp_json")"
sleep 5 # idle: start-up work (key ring, caches, first store reads) has settled
idle_rss="$(rss VmRSS)"; idle_anon="$(rss RssAnon)"
echo "idle:             RSS $(mb "$idle_rss") (anonymous $(mb "$idle_anon"))"

answered=0 segment=0 warm_rss="" warm_anon=""
while [ "$answered" -lt "$target" ]; do
    segment=$((segment + 1))
    BENCH_DURATION="${BENCH_SEGMENT:-20s}" bench_wrk "segment-$segment" "$bench_base/$tid/oauth2/v2.0/token" \
        -s "$here/token-post.lua" >/dev/null
    answered=$((answered + $(awk '/requests in/ { print $1 }' "$work/segment-$segment.wrk")))
    now_rss="$(rss VmRSS)"; now_anon="$(rss RssAnon)"
    if [ -z "$warm_rss" ]; then warm_rss="$now_rss"; warm_anon="$now_anon"; fi
    printf 'after %9d tokens: RSS %s (anonymous %s), %s tokens/s\n' "$answered" "$(mb "$now_rss")" "$(mb "$now_anon")" "$wrk_rps"
done
sleep 5
final_rss="$(rss VmRSS)"; final_anon="$(rss RssAnon)"
echo
echo "== result"
echo "idle RSS:                 $(mb "$idle_rss") (anonymous $(mb "$idle_anon"))"
echo "after warm-up segment:    $(mb "$warm_rss") (anonymous $(mb "$warm_anon"))"
echo "after $answered tokens: $(mb "$final_rss") (anonymous $(mb "$final_anon")), peak $(mb "$(rss VmHWM)")"
echo "ratio (final/warm-up RSS): $(awk -v f="$final_rss" -v w="$warm_rss" 'BEGIN { printf "%.3f", f / w }')"
