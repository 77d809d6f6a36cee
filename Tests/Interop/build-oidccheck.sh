#!/usr/bin/env bash
# Builds Tests/Interop/oidccheck (a go-oidc v2 verifier, as kube-apiserver uses) offline,
# in GOPATH mode against Debian's packaged sources:
#   apt-get install -y golang-go golang-github-coreos-go-oidc-dev
# Output: Tests/Interop/artifacts/gowork/bin/oidccheck (artifacts/ is gitignored).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$here/artifacts/gowork"
out="$work/bin/oidccheck"

if ! command -v go >/dev/null 2>&1; then
    echo "build-oidccheck: 'go' not found (apt-get install golang-go golang-github-coreos-go-oidc-dev)" >&2
    exit 1
fi
if [ ! -d /usr/share/gocode/src/github.com/coreos/go-oidc ]; then
    echo "build-oidccheck: go-oidc sources missing (apt-get install golang-github-coreos-go-oidc-dev)" >&2
    exit 1
fi

mkdir -p "$work/src/oidccheck" "$work/bin" "$work/cache"
cp "$here/oidccheck/main.go" "$work/src/oidccheck/main.go"

cd "$work"
export GO111MODULE=off
export GOPATH="/usr/share/gocode:$work"
export GOCACHE="$work/cache"
export GOPROXY=off
export GOFLAGS=
go build -o "$out" oidccheck
echo "$out"
