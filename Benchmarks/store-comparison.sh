#!/usr/bin/env bash
# kubeid on PostgreSQL vs SQLite, in the same run: client-credentials throughput, then the
# webhook benchmark (TokenReview and SubjectAccessReview, webhooks.sh) on each backend.
#
#   KUBEID_BIN=.build/release/kubeid .ci/with-postgres.sh Benchmarks/store-comparison.sh
#
# Needs KUBEID_TEST_POSTGRES_URL (.ci/with-postgres.sh sets it; `make bench` does both). For
# each backend: starts `kubeid serve` on a free loopback port (SQLite in a temporary data dir,
# or a fresh schema on the PostgreSQL server), creates a tenant and a service principal with a
# secret, then drives POST /{tid}/oauth2/v2.0/token with wrk (keep-alive TLS). Prints the rates
# and the PostgreSQL/SQLite ratios. Fails if any response was not 2xx.
# Tunables: BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_DURATION (15s).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_name=store-comparison
# shellcheck source=Benchmarks/lib/kubeid-server.sh
. "$here/lib/kubeid-server.sh"
bench_require_kubeid
bench_require_tools wrk curl jq python3 psql
[ -n "${KUBEID_TEST_POSTGRES_URL:-}" ] || die "KUBEID_TEST_POSTGRES_URL is not set (run under .ci/with-postgres.sh)"

work="$(mktemp -d "${TMPDIR:-/tmp}/kubeid-store-bench.XXXXXX")"
schemas=("kubeid_bench_$$" "kubeid_bench_webhooks_$$")
cleanup() {
    bench_stop_server
    for schema in "${schemas[@]}"; do
        psql -q "$KUBEID_TEST_POSTGRES_URL" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

postgres_url() {
    local sep='?'
    case "$KUBEID_TEST_POSTGRES_URL" in *\?*) sep='&' ;; esac
    echo "${KUBEID_TEST_POSTGRES_URL}${sep}schema=$1"
}

# client_credentials NAME [--database-url URL]: the token rate into $work/NAME.rps
client_credentials() {
    local name="$1"; shift
    local data="$work/$name" tid sp_json token_url status
    bench_start_server "$data" "$@"
    tid="$("$KUBEID_BIN" tenant create --name bench --data-dir "$data" "$@" | jq -r .id)"
    sp_json="$("$KUBEID_BIN" sp create-for-rbac --tenant bench --name bench-client --data-dir "$data" "$@")"
    export BENCH_CLIENT_ID BENCH_CLIENT_SECRET
    BENCH_CLIENT_ID="$(jq -r .appId <<<"$sp_json")"
    BENCH_CLIENT_SECRET="$(jq -r .password <<<"$sp_json")"
    token_url="$bench_base/$tid/oauth2/v2.0/token"
    status="$(curl -s --cacert "$bench_ca" -o "$work/$name-first.json" -w '%{http_code}' \
        --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$BENCH_CLIENT_ID" \
        --data-urlencode "client_secret=$BENCH_CLIENT_SECRET" \
        --data-urlencode "scope=6dae42f8-4368-4678-94ff-3960e28e3630/.default" "$token_url")"
    [ "$status" = 200 ] || { cat "$work/$name-first.json" >&2; die "$name: first token request answered HTTP $status"; }
    bench_wrk "$name-token" "$token_url" -s "$here/token-post.lua"
    bench_stop_server
    echo "$wrk_rps" >"$work/$name.rps"
}

client_credentials sqlite
client_credentials postgres --database-url "$(postgres_url "${schemas[0]}")"
echo "== webhooks on SQLite"
"$here/webhooks.sh" | tee "$work/sqlite-webhooks.txt"
echo "== webhooks on PostgreSQL"
"$here/webhooks.sh" --database-url "$(postgres_url "${schemas[1]}")" | tee "$work/postgres-webhooks.txt"

rate_of() { awk -v label="$2" 'index($0, label) == 1 { print $(NF - 5) }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
sqlite_rps="$(cat "$work/sqlite.rps")"
postgres_rps="$(cat "$work/postgres.rps")"
sqlite_tr="$(rate_of "$work/sqlite-webhooks.txt" TokenReview)"
postgres_tr="$(rate_of "$work/postgres-webhooks.txt" TokenReview)"
sqlite_sar="$(rate_of "$work/sqlite-webhooks.txt" SubjectAccessReview)"
postgres_sar="$(rate_of "$work/postgres-webhooks.txt" SubjectAccessReview)"
echo
echo "== result (same machine, same run; requests/s)"
printf '%-22s %10s %12s %8s\n' "" SQLite PostgreSQL ratio \
    "client credentials" "$sqlite_rps" "$postgres_rps" "$(ratio "$postgres_rps" "$sqlite_rps")" \
    "TokenReview" "$sqlite_tr" "$postgres_tr" "$(ratio "$postgres_tr" "$sqlite_tr")" \
    "SubjectAccessReview" "$sqlite_sar" "$postgres_sar" "$(ratio "$postgres_sar" "$sqlite_sar")"
echo "ratio (PostgreSQL/SQLite, client credentials): $(ratio "$postgres_rps" "$sqlite_rps")"
