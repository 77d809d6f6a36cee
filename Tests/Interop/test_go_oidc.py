"""kube-apiserver's view: tokens checked by a go-oidc v2 verifier (oidccheck/main.go).

The verifier fetches {issuer}/.well-known/openid-configuration, insists the document's
issuer equals the configured one byte for byte, loads jwks_uri and checks RS256
signature, iss, aud (= client id) and exp — as kube-apiserver's --oidc-* flags do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from conftest import AKS_SCOPE, AKS_SERVER_APP, HERE

OIDCCHECK = HERE / "artifacts" / "gowork" / "bin" / "oidccheck"


@pytest.fixture(scope="session")
def oidccheck() -> Path:
    binary = Path(os.environ.get("OIDCCHECK_BIN") or OIDCCHECK)
    if not binary.is_file():
        if shutil.which("go") is None:
            pytest.skip("go not installed (apt-get install golang-go golang-github-coreos-go-oidc-dev)")
        proc = subprocess.run(["bash", str(HERE / "build-oidccheck.sh")], capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.fail(f"building oidccheck failed:\n{proc.stdout}\n{proc.stderr}")
    return binary


def client_credentials_token(kubeid, directory, scope: str = AKS_SCOPE) -> str:
    sp = directory.secret_sp
    r = kubeid.post(f"/{directory.tenant_id}/oauth2/v2.0/token", data={
        "grant_type": "client_credentials", "client_id": sp.app_id,
        "client_secret": sp.password, "scope": scope,
    })
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def run_check(oidccheck: Path, kubeid, issuer: str, audience: str, token: str, tmp_path: Path):
    token_file = tmp_path / f"token-{uuid.uuid4().hex}.jwt"
    token_file.write_text(token)
    return subprocess.run(
        [str(oidccheck), issuer, audience, kubeid.ca, str(token_file)],
        capture_output=True, text=True, timeout=60,
    )


def test_go_oidc_accepts_v1_token(oidccheck, kubeid, directory, tmp_path):
    token = client_credentials_token(kubeid, directory)
    proc = run_check(oidccheck, kubeid, kubeid.v1_issuer(directory.tenant_id), AKS_SERVER_APP, token, tmp_path)
    assert proc.returncode == 0, proc.stderr
    claims = json.loads(proc.stdout)
    assert claims["oid"] == directory.secret_sp.object_id, claims
    assert directory.outer_group in claims["groups"], claims
    assert directory.inner_group in claims["groups"], claims


def test_go_oidc_rejects_wrong_audience(oidccheck, kubeid, directory, tmp_path):
    token = client_credentials_token(kubeid, directory)
    proc = run_check(oidccheck, kubeid, kubeid.v1_issuer(directory.tenant_id), "some-other-app", token, tmp_path)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "audience" in proc.stderr, proc.stderr


def test_go_oidc_rejects_token_for_other_resource(oidccheck, kubeid, directory, tmp_path):
    other_app = str(uuid.uuid4())
    kubeid.cli("app", "create", "--tenant", directory.tenant_name, "--display-name", "other",
               "--app-id", other_app, "--access-token-version", "1")
    token = client_credentials_token(kubeid, directory, scope=f"{other_app}/.default")
    proc = run_check(oidccheck, kubeid, kubeid.v1_issuer(directory.tenant_id), AKS_SERVER_APP, token, tmp_path)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "audience" in proc.stderr, proc.stderr
    # ...while the same verifier configured for that resource accepts it.
    ok = run_check(oidccheck, kubeid, kubeid.v1_issuer(directory.tenant_id), other_app, token, tmp_path)
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("variant", ["v2-issuer", "no-trailing-slash"])
def test_go_oidc_rejects_other_issuer_spelling(oidccheck, kubeid, directory, tmp_path, variant):
    """A v1 token only verifies against the exact v1 issuer string."""
    token = client_credentials_token(kubeid, directory)
    tid = directory.tenant_id
    issuer = kubeid.v2_issuer(tid) if variant == "v2-issuer" else f"{kubeid.base}/{tid}"
    proc = run_check(oidccheck, kubeid, issuer, AKS_SERVER_APP, token, tmp_path)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
