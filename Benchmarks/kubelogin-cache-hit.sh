#!/usr/bin/env bash
# Start-up cost of a cache-hit `kubelogin get-token`, next to a trivial static Swift program
# that prints a fixed ExecCredential: both timed by hyperfine in the same run.
#
#   KUBELOGIN_BIN=.build/release/kubelogin Benchmarks/kubelogin-cache-hit.sh
#
# KUBELOGIN_BIN should be a release build with --static-swift-stdlib (what ships). The script
# seeds one valid token-cache entry (no issuer is needed: a cache hit never touches the
# network), checks that get-token prints it, builds the trivial program with swiftc, then
# runs hyperfine over both and prints the medians and their ratio. Target: ratio <= 3.
# Tunables: BENCH_RUNS (300), BENCH_WARMUP (20), BENCH_MAX_RATIO (3, only reported).
set -euo pipefail

runs="${BENCH_RUNS:-300}"
warmup="${BENCH_WARMUP:-20}"
max_ratio="${BENCH_MAX_RATIO:-3}"

die() { echo "kubelogin-cache-hit: $*" >&2; exit 1; }

[ -n "${KUBELOGIN_BIN:-}" ] || die "set KUBELOGIN_BIN to a kubelogin binary (swift build -c release --static-swift-stdlib --product kubelogin)"
[ -x "$KUBELOGIN_BIN" ] || die "KUBELOGIN_BIN=$KUBELOGIN_BIN is not an executable"
for tool in hyperfine swiftc jq sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/kubelogin-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# One cache entry, named as KubeLoginCore's TokenCacheKey.fileStem names it: hex SHA-256 of
# "kubeid-token-cache-v1\n" + authority, tenant, client, resource, login mode, user (one per line).
authority="127.0.0.1:8443"
tenant="00000000-0000-0000-0000-000000000001"
client="00000000-0000-0000-0000-000000000002"
server="6dae42f8-4368-4678-94ff-3960e28e3630"
resource="$server/.default"
cache="$work/cache"
mkdir -m 700 -p "$cache/tokens"
stem="$(printf 'kubeid-token-cache-v1\n%s\n%s\n%s\n%s\n%s\n%s' "$authority" "$tenant" "$client" "$resource" spn "" | sha256sum | cut -d' ' -f1)"
expires=$(( $(date +%s) + 86400 ))
token="eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiI2ZGFlNDJmOC00MzY4LTQ2NzgtOTRmZi0zOTYwZTI4ZTM2MzAifQ.c2lnbmF0dXJl"
jq -cn --arg a "$authority" --arg t "$tenant" --arg c "$client" --arg r "$resource" --arg tok "$token" --argjson e "$expires" \
    '{version:1,key:{authority:$a,tenant:$t,clientID:$c,resource:$r,loginMode:"spn",user:""},accessToken:$tok,expiresOn:$e}' \
    >"$cache/tokens/$stem.json"
chmod 600 "$cache/tokens/$stem.json"

get_token=("$KUBELOGIN_BIN" get-token --login spn --server-id "$server" --client-id "$client" --client-secret unused
           --tenant-id "$tenant" --authority-host "https://$authority/" --disable-instance-discovery --cache-dir "$cache")
output="$(env -i HOME="$work" "${get_token[@]}")"
grep -q "\"token\":\"$token\"" <<<"$output" || die "get-token did not answer from the cache: $output"

# The baseline: the smallest static Swift program that prints an ExecCredential.
cat >"$work/trivial.swift" <<'SWIFT'
print(#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false},"status":{"expirationTimestamp":"2030-01-01T00:00:00Z","token":"t"}}"#)
SWIFT
swiftc -O -static-stdlib "$work/trivial.swift" -o "$work/trivial" 2>/dev/null || die "swiftc could not build the trivial program"

# Both run in the same minimal environment (no AZURE_* or AAD_* variables can interfere).
command_line="$(printf '%q ' "${get_token[@]}")"
echo "== hyperfine -N --warmup $warmup --runs $runs"
env -i PATH="$PATH" HOME="$work" hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$work/result.json" \
    -n trivial-static-swift "$work/trivial" \
    -n kubelogin-cache-hit "$command_line"

trivial="$(jq '.results[] | select(.command == "trivial-static-swift") | .median' "$work/result.json")"
hit="$(jq '.results[] | select(.command == "kubelogin-cache-hit") | .median' "$work/result.json")"
ratio="$(awk -v a="$hit" -v b="$trivial" 'BEGIN { printf "%.2f", a / b }')"
echo
echo "== result"
printf 'trivial static Swift (median): %.2f ms\n' "$(awk -v x="$trivial" 'BEGIN { print x * 1000 }')"
printf 'kubelogin cache hit (median):  %.2f ms\n' "$(awk -v x="$hit" 'BEGIN { print x * 1000 }')"
echo "ratio: ${ratio}x (target <= ${max_ratio}x)"
awk -v r="$ratio" -v m="$max_ratio" 'BEGIN { exit !(r <= m) }' || echo "note: above the ${max_ratio}x target" >&2
