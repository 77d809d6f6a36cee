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
threads="${BENCH_THREADS:-2}"
connections="${BENCH_CONNECTIONS:-64}"
duration="${BENCH_DURATION:-15s}"
speed_seconds="${BENCH_SPEED_SECONDS:-5}"

die() { echo "client-credentials: $*" >&2; exit 1; }

[ -n "${KUBEID_BIN:-}" ] || die "set KUBEID_BIN to a kubeid binary (a release build: swift build -c release)"
[ -x "$KUBEID_BIN" ] || die "KUBEID_BIN=$KUBEID_BIN is not an executable"
for tool in wrk openssl curl jq python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required (apt-get install wrk openssl curl jq python3)"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/kubeid-bench.XXXXXX")"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
base="https://127.0.0.1:$port"
data="$work/data"

# shellcheck disable=SC2086 # BENCH_SERVE_ARGS is a list of flags
"$KUBEID_BIN" serve --data-dir "$data" --listen "127.0.0.1:$port" --issuer-url "$base" ${BENCH_SERVE_ARGS:-} \
    >"$work/serve.log" 2>&1 &
server_pid=$!

for i in $(seq 1 300); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$work/serve.log" >&2; die "kubeid serve exited during start-up"
    fi
    if [ -f "$data/tls/ca.crt" ] && curl -sf --cacert "$data/tls/ca.crt" -o /dev/null "$base/healthz"; then
        break
    fi
    [ "$i" -lt 300 ] || { cat "$work/serve.log" >&2; die "kubeid serve not healthy after 60 s"; }
    sleep 0.2
done

tid="$("$KUBEID_BIN" tenant create --name bench --data-dir "$data" | jq -r .id)"
sp_json="$("$KUBEID_BIN" sp create-for-rbac --tenant bench --name bench-client --data-dir "$data")"
export BENCH_CLIENT_ID BENCH_CLIENT_SECRET
BENCH_CLIENT_ID="$(jq -r .appId <<<"$sp_json")"
BENCH_CLIENT_SECRET="$(jq -r .password <<<"$sp_json")"
token_url="$base/$tid/oauth2/v2.0/token"

# One checked request before the load: the credentials and the endpoint work.
status="$(curl -s --cacert "$data/tls/ca.crt" -o "$work/first.json" -w '%{http_code}' \
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

echo "== wrk -t$threads -c$connections -d$duration --latency $token_url"
wrk -t"$threads" -c"$connections" -d"$duration" --latency \
    -s "$here/token-post.lua" "$token_url" | tee "$work/wrk.txt"

rps="$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")"
non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$work/wrk.txt")"
non2xx="${non2xx:-0}"
total="$(awk '/requests in/ { print $1 }' "$work/wrk.txt")"
[ -n "$rps" ] || die "could not parse wrk output"
if grep -q '^ *Socket errors:' "$work/wrk.txt"; then
    echo "warning: wrk reported socket errors (see above)" >&2
fi

ratio="$(awk -v r="$rps" -v s="$sign_rate" 'BEGIN { printf "%.3f", r / s }')"
echo
echo "== result"
echo "token requests/s:        $rps ($total requests, non-2xx: $non2xx)"
echo "openssl rsa2048 sign/s:  $sign_rate"
echo "ratio (token/sign):      $ratio"

if [ "$non2xx" != 0 ]; then
    tail -n 20 "$work/serve.log" >&2
    die "$non2xx responses were not 2xx"
fi
