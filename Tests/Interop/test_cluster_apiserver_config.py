"""kube-apiserver's JWT authenticator, configured from `kubeid cluster apiserver-config`.

The generated AuthenticationConfiguration names kubeid's v1 issuer of the cluster's tenant, its
CA and the AKS server app as audience. A go-oidc v2 verifier (oidccheck, what kube-apiserver
uses) set up with exactly those values accepts a kubeid access token for the cluster, and the
claim rules the file states (`tid`, the CEL rules evaluated with cel-python, username from `upn`
or `oid`, uid from `oid`) hold for it and not for an ID token's claims.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import yaml

from conftest import AKS_SERVER_APP
from test_go_oidc import client_credentials_token, oidccheck  # noqa: F401 (fixture)


def passes(rule: dict, claims: dict) -> bool:
    """One claimValidationRule as kube-apiserver applies it: `claim` + `requiredValue`, or a CEL
    `expression` over `claims` that must be true."""
    if "claim" in rule:
        return claims.get(rule["claim"]) == rule["requiredValue"]
    import celpy
    from celpy.adapter import json_to_cel
    environment = celpy.Environment()
    program = environment.program(environment.compile(rule["expression"]))
    return bool(program.evaluate({"claims": json_to_cel(claims)}))


def generate(kubeid, directory, tmp_path: Path) -> tuple[Path, dict]:
    name = f"c{uuid.uuid4().hex[:8]}"
    kubeid.cli("cluster", "create", "--tenant", directory.tenant_name, "--name", name, "--server", "https://10.0.0.1:6443",
               "--enable-aad", "--aad-admin-group-object-ids", directory.outer_group, "--enable-azure-rbac")
    out = tmp_path / name
    summary = kubeid.cli("cluster", "apiserver-config", "--tenant", directory.tenant_name, "--name", name, "--dir", str(out),
                         "--issuer-url", kubeid.base, "--issuer-ca-file", kubeid.ca)
    assert "authentication-config.yaml" in summary["files"], summary
    return out, yaml.safe_load((out / "authentication-config.yaml").read_text())


def test_generated_jwt_authenticator_accepts_kubeid_tokens_with_go_oidc(oidccheck, kubeid, directory, tmp_path):  # noqa: F811
    out, config = generate(kubeid, directory, tmp_path)
    assert config["apiVersion"] == "apiserver.config.k8s.io/v1beta1"
    assert config["kind"] == "AuthenticationConfiguration"
    (jwt,) = config["jwt"]
    issuer = jwt["issuer"]
    assert issuer["url"] == kubeid.v1_issuer(directory.tenant_id)
    assert issuer["audiences"] == [AKS_SERVER_APP]
    ca_file = tmp_path / "issuer-ca.pem"
    ca_file.write_text(issuer["certificateAuthority"])

    token = client_credentials_token(kubeid, directory)
    token_file = tmp_path / "token.jwt"
    token_file.write_text(token)
    for audience in issuer["audiences"]:
        proc = subprocess.run([str(oidccheck), issuer["url"], audience, str(ca_file), str(token_file)],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        claims = json.loads(proc.stdout)
        # The claim rules of the file, applied as kube-apiserver would (CEL for the expressions).
        assert all(passes(rule, claims) for rule in jwt["claimValidationRules"]), claims
        # An ID token's shape (v2, no client named, no scp or idtyp, a nonce) fails every CEL rule.
        id_token = {k: v for k, v in claims.items() if k not in ("appid", "appidacr", "idtyp", "scp")}
        id_token.update({"ver": "2.0", "nonce": "n-1", "aud": "80faf920-1908-4b52-b5ef-a8e7bedfc67a"})
        expressions = [rule for rule in jwt["claimValidationRules"] if "expression" in rule]
        assert len(expressions) == 4 and not any(passes(rule, id_token) for rule in expressions), id_token
        assert jwt["claimMappings"]["uid"]["claim"] == "oid"
        assert claims["oid"] == directory.secret_sp.object_id
        assert "upn" not in claims  # a service principal: the username expression falls back to oid
        assert jwt["claimMappings"]["username"]["expression"] == "has(claims.upn) ? claims.upn : claims.oid"

    # A token of another tenant fails the same verifier (issuer mismatch).
    other = kubeid.cli("tenant", "create", "--name", f"other-{uuid.uuid4().hex[:6]}")
    sp = kubeid.cli("sp", "create-for-rbac", "--tenant", other["id"], "--name", "elsewhere")
    r = kubeid.post(f"/{other['id']}/oauth2/v2.0/token", data={
        "grant_type": "client_credentials", "client_id": sp["appId"], "client_secret": sp["password"],
        "scope": f"{AKS_SERVER_APP}/.default"})
    assert r.status_code == 200, r.text
    token_file.write_text(r.json()["access_token"])
    proc = subprocess.run([str(oidccheck), issuer["url"], AKS_SERVER_APP, str(ca_file), str(token_file)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stdout


def test_webhook_kubeconfigs_reach_kubeid(kubeid, directory, tmp_path):
    """The TokenReview webhook answers kube-apiserver's v1 review, authenticated by the file's token."""
    out, _ = generate(kubeid, directory, tmp_path)
    webhook = yaml.safe_load((out / "authn-webhook.kubeconfig").read_text())
    server = webhook["clusters"][0]["cluster"]["server"]
    bearer = webhook["users"][0]["user"]["token"]
    assert (out / "authn-webhook.kubeconfig").stat().st_mode & 0o777 == 0o600
    token = client_credentials_token(kubeid, directory)
    review = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": token}}
    import requests
    answer = requests.post(server, json=review, headers={"Authorization": f"Bearer {bearer}"}, verify=kubeid.ca, timeout=30)
    assert answer.status_code == 200, answer.text
    status = answer.json()["status"]
    assert status["authenticated"] is True, status
    assert status["user"]["username"] == directory.secret_sp.object_id
    assert status["user"]["extra"] == {"oid": [directory.secret_sp.object_id]}
    assert directory.outer_group in status["user"]["groups"]
    refused = requests.post(server, json=review, headers={"Authorization": "Bearer wrong"}, verify=kubeid.ca, timeout=30)
    assert refused.status_code == 401
