#!/usr/bin/env bash
# Client-credentials throughput of kubeid on PostgreSQL vs SQLite, in the same run.
#
#   KUBEID_BIN=.build/release/kubeid .ci/with-postgres.sh Benchmarks/store-comparison.sh
#
# Needs KUBEID_TEST_POSTGRES_URL (.ci/with-postgres.sh sets it; `make bench` does both). For
# each backend: starts `kubeid serve` on a free loopback port (SQLite in a temporary data dir,
# or a fresh schema on the PostgreSQL server), creates a tenant and a service principal with a
# secret, then drives POST /{tid}/oauth2/v2.0/token with wrk (keep-alive TLS). Prints both
# rates and their ratio. Fails if any response was not 2xx.
# Tunables: BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_DURATION (15s).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
threads="${BENCH_THREADS:-2}"
connections="${BENCH_CONNECTIONS:-64}"
duration="${BENCH_DURATION:-15s}"

die() { echo "store-comparison: $*" >&2; exit 1; }

[ -n "${KUBEID_BIN:-}" ] || die "set KUBEID_BIN to a kubeid binary (a release build: swift build -c release)"
[ -x "$KUBEID_BIN" ] || die "KUBEID_BIN=$KUBEID_BIN is not an executable"
[ -n "${KUBEID_TEST_POSTGRES_URL:-}" ] || die "KUBEID_TEST_POSTGRES_URL is not set (run under .ci/with-postgres.sh)"
for tool in wrk curl jq python3 psql; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/kubeid-store-bench.XXXXXX")"
server_pid=""
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
schema="kubeid_bench_$$"
cleanup() {
    stop_server
    psql -q "$KUBEID_TEST_POSTGRES_URL" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

sep='?'
case "$KUBEID_TEST_POSTGRES_URL" in *\?*) sep='&' ;; esac
postgres_url="${KUBEID_TEST_POSTGRES_URL}${sep}schema=$schema"

# run_backend NAME [--database-url URL] → prints the requests/s on the last line of $work/NAME.rps
run_backend() {
    local name="$1"; shift
    local data="$work/$name" port base
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
    base="https://127.0.0.1:$port"
    "$KUBEID_BIN" serve --data-dir "$data" "$@" --listen "127.0.0.1:$port" --issuer-url "$base" \
        >"$work/$name-serve.log" 2>&1 &
    server_pid=$!
    for i in $(seq 1 300); do
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/$name-serve.log" >&2; die "$name: kubeid serve exited"; }
        if [ -f "$data/tls/ca.crt" ] && curl -sf --cacert "$data/tls/ca.crt" -o /dev/null "$base/healthz"; then break; fi
        [ "$i" -lt 300 ] || { cat "$work/$name-serve.log" >&2; die "$name: not healthy after 60 s"; }
        sleep 0.2
    done

    local tid sp_json token_url status
    tid="$("$KUBEID_BIN" tenant create --name bench --data-dir "$data" "$@" | jq -r .id)"
    sp_json="$("$KUBEID_BIN" sp create-for-rbac --tenant bench --name bench-client --data-dir "$data" "$@")"
    export BENCH_CLIENT_ID BENCH_CLIENT_SECRET
    BENCH_CLIENT_ID="$(jq -r .appId <<<"$sp_json")"
    BENCH_CLIENT_SECRET="$(jq -r .password <<<"$sp_json")"
    token_url="$base/$tid/oauth2/v2.0/token"
    status="$(curl -s --cacert "$data/tls/ca.crt" -o "$work/$name-first.json" -w '%{http_code}' \
        --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$BENCH_CLIENT_ID" \
        --data-urlencode "client_secret=$BENCH_CLIENT_SECRET" \
        --data-urlencode "scope=6dae42f8-4368-4678-94ff-3960e28e3630/.default" "$token_url")"
    [ "$status" = 200 ] || { cat "$work/$name-first.json" >&2; die "$name: first token request answered HTTP $status"; }

    echo "== $name: wrk -t$threads -c$connections -d$duration $token_url"
    wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/token-post.lua" "$token_url" \
        | tee "$work/$name-wrk.txt"
    stop_server

    local rps non2xx
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$work/$name-wrk.txt")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$work/$name-wrk.txt")"
    [ -n "$rps" ] || die "$name: could not parse wrk output"
    if [ "${non2xx:-0}" != 0 ]; then
        tail -n 20 "$work/$name-serve.log" >&2
        die "$name: $non2xx responses were not 2xx"
    fi
    echo "$rps" >"$work/$name.rps"
}

run_backend sqlite
run_backend postgres --database-url "$postgres_url"

sqlite_rps="$(cat "$work/sqlite.rps")"
postgres_rps="$(cat "$work/postgres.rps")"
ratio="$(awk -v p="$postgres_rps" -v s="$sqlite_rps" 'BEGIN { printf "%.3f", p / s }')"
echo
echo "== result (client credentials, same machine, same run)"
echo "SQLite token requests/s:      $sqlite_rps"
echo "PostgreSQL token requests/s:  $postgres_rps"
echo "ratio (PostgreSQL/SQLite):    $ratio"
