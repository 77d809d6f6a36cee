#!/usr/bin/env bash
# Runs kubeid's interoperability tests (MSAL Python, azure-identity, go-oidc) against a
# kubeid binary: KUBEID_BIN, default <repo>/.build/debug/kubeid (build it first).
#
# Needs (Debian): python3, python3-venv, golang-go, golang-github-coreos-go-oidc-dev, chromium, chromium-driver.
# Python packages come from PyPI (requirements.txt) into Tests/Interop/.venv.
# Extra arguments are passed to pytest, e.g.  Tests/Interop/run.sh -k federated
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
bash "$here/setup-venv.sh"

bash "$here/build-oidccheck.sh" >/dev/null

cd "$here"
# No REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE: requests would let them override verify=
# (docs/compatibility.md, Library quirks).
set +e
env -u REQUESTS_CA_BUNDLE -u CURL_CA_BUNDLE PYTHONDONTWRITEBYTECODE=1 \
    "$venv/bin/python" -m pytest -q -rfEs -p no:cacheprovider "$@"
rc=$?
set -e
exit $rc
