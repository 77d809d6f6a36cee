#!/usr/bin/env bash
# Client-credentials throughput of kubeid, relative to this machine's RSA-2048 signing rate.
#
#   KUBEID_BIN=.build/release/kubeid Benchmarks/client-credentials.sh
#
# Starts `kubeid serve` on a free loopback port in a temporary data dir, creates a tenant
# and a service principal with a secret, measures `openssl speed -multi 2 rsa2048`, then
# drives POST /{tid}/oauth2/v2.0/token with wrk (keep-alive TLS) and prints both rates and
# their ratio. Builds nothing. Fails if any response was not 2xx.
# Tunables: BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_DURATION (15s),
# BENCH_SPEED_SECONDS (5); BENCH_SERVE_ARGS adds `kubeid serve` flags (metrics-cost.sh passes
# --metrics-listen).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
speed_seconds="${BENCH_SPEED_SECONDS:-5}"
bench_name=client-credentials
# shellcheck source=Benchmarks/lib/kubeid-server.sh
. "$here/lib/kubeid-server.sh"
bench_require_kubeid
bench_require_tools wrk openssl curl jq python3

work="$(mktemp -d "${TMPDIR:-/tmp}/kubeid-bench.XXXXXX")"
trap 'bench_stop_server; rm -rf "$work"' EXIT
data="$work/data"
# shellcheck disable=SC2086 # BENCH_SERVE_ARGS is a list of flags
bench_start_server "$data" ${BENCH_SERVE_ARGS:-}
base="$bench_base"

tid="$("$KUBEID_BIN" tenant create --name bench --data-dir "$data" | jq -r .id)"
sp_json="$("$KUBEID_BIN" sp create-for-rbac --tenant bench --name bench-client --data-dir "$data")"
export BENCH_CLIENT_ID BENCH_CLIENT_SECRET
BENCH_CLIENT_ID="$(jq -r .appId <<<"$sp_json")"
BENCH_CLIENT_SECRET="$(jq -r .password <<<"$sp_json")"
token_url="$base/$tid/oauth2/v2.0/token"

# One checked request before the load: the credentials and the endpoint work.
status="$(curl -s --cacert "$bench_ca" -o "$work/first.json" -w '%{http_code}' \
    --data-urlencode grant_type=client_credentials \
    --data-urlencode "client_id=$BENCH_CLIENT_ID" \
    --data-urlencode "client_secret=$BENCH_CLIENT_SECRET" \
    --data-urlencode "scope=6dae42f8-4368-4678-94ff-3960e28e3630/.default" \
    "$token_url")"
[ "$status" = 200 ] || { cat "$work/first.json" >&2; die "first token request answered HTTP $status"; }

echo "== openssl speed -multi 2 -seconds $speed_seconds rsa2048"
openssl speed -multi 2 -seconds "$speed_seconds" rsa2048 >"$work/speed.txt" 2>/dev/null
# The header line names the columns ("sign verify sign/s verify/s" in OpenSSL 3.0); the
# summary row is "rsa 2048 bits <cols...>" (three leading tokens), totals over both processes.
sign_rate="$(awk '
    /sign\/s/ && !col { for (i = 1; i <= NF; i++) if ($i == "sign/s") col = i }
    /^rsa +2048 +bits/ && col { v = $(col + 3) }
    END { if (v != "") print v }' "$work/speed.txt")"
[ -n "$sign_rate" ] || { cat "$work/speed.txt" >&2; die "could not parse openssl speed output"; }
echo "rsa2048 sign/s (2 processes): $sign_rate"

bench_wrk token "$token_url" -s "$here/token-post.lua"
rps="$wrk_rps"
total="$(awk '/requests in/ { print $1 }' "$work/token.wrk")"

ratio="$(awk -v r="$rps" -v s="$sign_rate" 'BEGIN { printf "%.3f", r / s }')"
echo
echo "== result"
echo "token requests/s:        $rps ($total requests, p50 $wrk_p50, p99 $wrk_p99)"
echo "openssl rsa2048 sign/s:  $sign_rate"
echo "ratio (token/sign):      $ratio"

