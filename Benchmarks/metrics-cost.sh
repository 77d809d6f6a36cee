#!/usr/bin/env bash
# What Prometheus metrics cost the token endpoint: the client-credentials benchmark twice in one
# run, metrics off then on (`--metrics-listen`, scraped once a second as Prometheus would), and
# the ratio of the two token rates, each first divided by its own RSA signing rate.
#
#   KUBEID_BIN=.build/release/kubeid Benchmarks/metrics-cost.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -n "${KUBEID_BIN:-}" ] || { echo "metrics-cost: set KUBEID_BIN" >&2; exit 1; }

ratio_of() { awk '/^ratio \(token\/sign\):/ { print $3 }' "$1"; }

off="$(mktemp)"; on="$(mktemp)"; scraper=""
trap 'rm -f "$off" "$on"; [ -z "$scraper" ] || kill "$scraper" 2>/dev/null || true' EXIT

echo "== metrics off"
"$here/client-credentials.sh" | tee "$off"

metrics_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
( while sleep 1; do curl -s -o /dev/null "http://127.0.0.1:$metrics_port/metrics" || true; done ) &
scraper=$!
echo "== metrics on (--metrics-listen 127.0.0.1:$metrics_port, scraped every second)"
BENCH_SERVE_ARGS="--metrics-listen 127.0.0.1:$metrics_port" "$here/client-credentials.sh" | tee "$on"

off_ratio="$(ratio_of "$off")"; on_ratio="$(ratio_of "$on")"
echo
echo "== result"
echo "token/sign, metrics off: $off_ratio"
echo "token/sign, metrics on:  $on_ratio"
echo "metrics on / off:        $(awk -v a="$on_ratio" -v b="$off_ratio" 'BEGIN { printf "%.3f", a / b }')"
