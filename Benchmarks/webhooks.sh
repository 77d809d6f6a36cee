#!/usr/bin/env bash
# kube-apiserver's webhook calls, TokenReview and SubjectAccessReview, next to the same server's
# cheapest HTTPS route (GET /healthz), all in one run.
#
#   KUBEID_BIN=.build/release/kubeid Benchmarks/webhooks.sh [kubeid serve flags, e.g. --database-url URL]
#
# Starts `kubeid serve` on a free loopback port with a temporary data dir, creates a tenant, a
# user in 20 groups, a webhook-mode cluster with Azure RBAC and a Reader role assignment on its
# namespace `dev` for one of the groups, and signs the user in (password grant) for a real
# access token. Then wrk (keep-alive TLS) drives GET /healthz, POST .../tokenreview with that
# token, and POST .../subjectaccessreview for `get pods` in `dev` with the user's groups, the
# bodies kube-apiserver sends. Prints each rate, p50/p99 latency and the ratio to /healthz last.
# Fails if any response was not 2xx or a review did not answer as expected.
# Tunables: BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_DURATION (15s), BENCH_GROUPS (20).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_name=webhooks
# shellcheck source=Benchmarks/lib/kubeid-server.sh
. "$here/lib/kubeid-server.sh"
bench_require_kubeid
bench_require_tools wrk curl jq python3

group_count="${BENCH_GROUPS:-20}"
work="$(mktemp -d "${TMPDIR:-/tmp}/kubeid-webhook-bench.XXXXXX")"
trap 'bench_stop_server; rm -rf "$work"' EXIT
data="$work/data"
bench_start_server "$data" "$@"
cli() { "$KUBEID_BIN" "$@" --data-dir "$data" "${server_flags[@]}"; }
server_flags=("$@")

tid="$(cli tenant create --name bench | jq -r .id)"
password="Bench-$(openssl rand -hex 12)"
user_json="$(printf '%s\n' "$password" | cli user create --tenant "$tid" --user-principal-name dev@bench.example \
    --display-name Dev --password-stdin)"
oid="$(jq -r .id <<<"$user_json")"
groups=()
for i in $(seq 1 "$group_count"); do
    gid="$(cli group create --tenant "$tid" --display-name "team-$i" | jq -r .id)"
    cli group member add --tenant "$tid" --group "$gid" --member-id "$oid" >/dev/null
    groups+=("$gid")
done
cluster_json="$(cli cluster create --tenant "$tid" --name bench --server https://127.0.0.1:6443 \
    --enable-aad --no-aad-admin-groups --enable-azure-rbac)"
cluster_id="$(jq -r .id <<<"$cluster_json")"
cli role assignment create --role "Azure Kubernetes Service RBAC Reader" --assignee "${groups[$((group_count - 1))]}" \
    --scope "$cluster_id/namespaces/dev" >/dev/null
cli cluster apiserver-config --tenant "$tid" --name bench --issuer-url "$bench_base" --dir "$work/apiserver" >/dev/null
export BENCH_BEARER
BENCH_BEARER="$(awk '$1 == "token:" { print $2; exit }' "$work/apiserver/authn-webhook.kubeconfig")"
[ -n "$BENCH_BEARER" ] || die "no webhook token in $work/apiserver/authn-webhook.kubeconfig"
cli app update --tenant "$tid" --id 80faf920-1908-4b52-b5ef-a8e7bedfc67a --enable-ropc >/dev/null
sleep 1.5 # a running server sees CLI writes within a second

access_token="$(curl -sf --cacert "$bench_ca" "$bench_base/$tid/oauth2/v2.0/token" \
    --data-urlencode grant_type=password --data-urlencode client_id=80faf920-1908-4b52-b5ef-a8e7bedfc67a \
    --data-urlencode username=dev@bench.example --data-urlencode "password=$password" \
    --data-urlencode scope=6dae42f8-4368-4678-94ff-3960e28e3630/.default | jq -r .access_token)"
[ -n "$access_token" ] && [ "$access_token" != null ] || die "the password grant gave no access token"

webhooks="$bench_base/webhooks/tenants/$tid/clusters/bench"
jq -n --arg token "$access_token" \
    '{apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: {token: $token}}' >"$work/tokenreview.json"
review="$(curl -sf --cacert "$bench_ca" -H "Authorization: Bearer $BENCH_BEARER" -H 'Content-Type: application/json' \
    --data-binary @"$work/tokenreview.json" "$webhooks/tokenreview")"
[ "$(jq -r '.status.authenticated' <<<"$review")" = true ] || die "TokenReview refused the user's token: $review"
[ "$(jq '.status.user.groups | length' <<<"$review")" = "$group_count" ] || die "TokenReview did not name $group_count groups: $review"

# What kube-apiserver sends for `kubectl get pods -n dev` with the user TokenReview answered.
jq '{apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview",
     spec: {resourceAttributes: {namespace: "dev", verb: "get", group: "", version: "v1", resource: "pods"},
            user: .status.user.username, uid: .status.user.uid, groups: .status.user.groups, extra: .status.user.extra}}' \
    <<<"$review" >"$work/sar.json"
decision="$(curl -sf --cacert "$bench_ca" -H "Authorization: Bearer $BENCH_BEARER" -H 'Content-Type: application/json' \
    --data-binary @"$work/sar.json" "$webhooks/subjectaccessreview")"
[ "$(jq -r '.status.allowed' <<<"$decision")" = true ] || die "SubjectAccessReview did not allow get pods: $decision"

bench_wrk healthz "$bench_base/healthz"
healthz_rps=$wrk_rps healthz_p50=$wrk_p50 healthz_p99=$wrk_p99
BENCH_BODY_FILE="$work/tokenreview.json" bench_wrk tokenreview "$webhooks/tokenreview" -s "$here/webhook-post.lua"
tr_rps=$wrk_rps tr_p50=$wrk_p50 tr_p99=$wrk_p99
BENCH_BODY_FILE="$work/sar.json" bench_wrk subjectaccessreview "$webhooks/subjectaccessreview" -s "$here/webhook-post.lua"
sar_rps=$wrk_rps sar_p50=$wrk_p50 sar_p99=$wrk_p99

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
echo
echo "== result (same server, same run; $group_count groups, get pods in a namespace)"
printf '%-22s %10s req/s  p50 %-9s p99 %s\n' "GET /healthz" "$healthz_rps" "$healthz_p50" "$healthz_p99" \
    "TokenReview" "$tr_rps" "$tr_p50" "$tr_p99" "SubjectAccessReview" "$sar_rps" "$sar_p50" "$sar_p99"
echo "ratio (TokenReview/healthz):          $(ratio "$tr_rps" "$healthz_rps")"
echo "ratio (SubjectAccessReview/healthz):  $(ratio "$sar_rps" "$healthz_rps")"
