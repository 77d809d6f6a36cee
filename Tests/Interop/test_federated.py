"""Federated credentials (workload identity): an external OIDC issuer's JWT as client assertion.

The external issuer is a small HTTPS server in this process (conftest.external_issuer) with
its own CA; kubeid trusts that CA through --trusted-ca-file and fetches the issuer's
discovery document and JWKS to validate the assertion.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ClientAssertionCredential
from cryptography.hazmat.primitives.asymmetric import rsa

from conftest import AKS_SCOPE, FIC_AUDIENCE, create_sp, verify_v1_app_token

SUBJECT = "system:serviceaccount:default:workload"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@pytest.fixture(scope="module")
def workload_sp(kubeid, directory, external_issuer):
    sp = create_sp(kubeid, directory.tenant_name, "interop-workload")
    kubeid.cli("group", "member", "add", "--tenant", directory.tenant_name,
               "--group", directory.inner_group, "--member-id", sp.object_id)
    kubeid.cli("sp", "federated-credential", "create", "--tenant", directory.tenant_name,
               "--id", sp.app_id, "--issuer", external_issuer.url, "--subject", SUBJECT,
               "--audience", FIC_AUDIENCE)
    return sp


def post_assertion(kubeid, directory, client_id, assertion):
    return kubeid.post(f"/{directory.tenant_id}/oauth2/v2.0/token", data={
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion,
        "scope": AKS_SCOPE,
    })


def test_client_assertion_credential(kubeid, directory, external_issuer, workload_sp):
    calls = []

    def get_assertion():
        calls.append(time.time())
        return external_issuer.assertion(SUBJECT)

    cred = ClientAssertionCredential(
        directory.tenant_id, workload_sp.app_id, get_assertion,
        authority=kubeid.base, connection_verify=kubeid.ca,
    )
    with cred:
        token = cred.get_token(AKS_SCOPE)
    assert calls, "azure-identity never asked for the assertion"
    assert token.expires_on > time.time() + 300
    # Entra doesn't document appidacr for federated assertions (docs/compatibility.md, Token claims).
    claims = verify_v1_app_token(kubeid, directory, token.token, workload_sp, appidacr=("1", "2"))
    assert claims["appid"] == workload_sp.app_id
    # kubeid had to read the external issuer's metadata to check the assertion.
    assert "/.well-known/openid-configuration" in external_issuer.requests_seen
    assert "/openid/v1/jwks" in external_issuer.requests_seen


def test_raw_federated_assertion(kubeid, directory, external_issuer, workload_sp):
    r = post_assertion(kubeid, directory, workload_sp.app_id, external_issuer.assertion(SUBJECT))
    assert r.status_code == 200, r.text
    verify_v1_app_token(kubeid, directory, r.json()["access_token"], workload_sp, appidacr=("1", "2"))


def test_same_federated_assertion_twice(kubeid, directory, external_issuer, workload_sp):
    """A projected service-account token is reused for every token request during its
    lifetime (azure-identity re-reads the file at most every 600 s; kubelet rotates at 80 %
    of its lifetime), so presenting the same one twice must work."""
    assertion = external_issuer.assertion(SUBJECT)
    for attempt in (1, 2):
        r = post_assertion(kubeid, directory, workload_sp.app_id, assertion)
        assert r.status_code == 200, (attempt, r.text)


def test_a_discovery_document_naming_another_issuer_is_refused(kubeid, directory, external_issuer):
    # OpenID Connect Discovery 1.0 §4.3: the document's `issuer` must be the URL it was fetched
    # under; one served at <issuer>/impostor that names <issuer> cannot speak for it.
    impostor = external_issuer.url + "/impostor"
    sp = create_sp(kubeid, directory.tenant_name, "interop-impostor")
    kubeid.cli("sp", "federated-credential", "create", "--tenant", directory.tenant_name,
               "--id", sp.app_id, "--issuer", impostor, "--subject", SUBJECT, "--audience", FIC_AUDIENCE)
    r = post_assertion(kubeid, directory, sp.app_id, external_issuer.assertion(SUBJECT, iss=impostor))
    assert r.status_code == 401, (r.status_code, r.text)
    body = r.json()
    assert body["error"] == "invalid_client", body
    assert body["error_description"].startswith("AADSTS700027"), body
    assert 700027 in body["error_codes"], body
    assert "is not the registered issuer" in body["error_description"], body
    assert "access_token" not in body, body


def test_subject_mismatch_is_aadsts70021(kubeid, directory, external_issuer, workload_sp):
    assertion = external_issuer.assertion("system:serviceaccount:default:someone-else")
    r = post_assertion(kubeid, directory, workload_sp.app_id, assertion)
    assert r.status_code == 400, (r.status_code, r.text)
    body = r.json()
    assert body["error"] == "invalid_request", body
    assert body["error_description"].startswith("AADSTS70021"), body
    assert 70021 in body["error_codes"], body


def test_subject_mismatch_via_azure_identity(kubeid, directory, external_issuer, workload_sp):
    cred = ClientAssertionCredential(
        directory.tenant_id, workload_sp.app_id,
        lambda: external_issuer.assertion("system:serviceaccount:kube-system:other"),
        authority=kubeid.base, connection_verify=kubeid.ca,
    )
    with cred, pytest.raises(ClientAuthenticationError) as info:
        cred.get_token(AKS_SCOPE)
    assert "AADSTS70021" in str(info.value)


def test_audience_mismatch_is_rejected(kubeid, directory, external_issuer, workload_sp):
    assertion = external_issuer.assertion(SUBJECT, audience="api://SomethingElse")
    r = post_assertion(kubeid, directory, workload_sp.app_id, assertion)
    assert r.status_code in (400, 401), (r.status_code, r.text)
    assert "access_token" not in r.json(), r.text


def test_assertion_signed_by_unknown_key_is_rejected(kubeid, directory, external_issuer, workload_sp):
    now = int(time.time())
    forged = external_issuer.sign(
        {"iss": external_issuer.url, "sub": SUBJECT, "aud": [FIC_AUDIENCE],
         "iat": now, "nbf": now, "exp": now + 3600},
        key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )
    r = post_assertion(kubeid, directory, workload_sp.app_id, forged)
    assert r.status_code in (400, 401), (r.status_code, r.text)
    body = r.json()
    assert "access_token" not in body, body
    assert body.get("error") in ("invalid_client", "invalid_request"), body


def test_expired_assertion_is_rejected(kubeid, directory, external_issuer, workload_sp):
    now = int(time.time())
    expired = external_issuer.sign(
        {"iss": external_issuer.url, "sub": SUBJECT, "aud": [FIC_AUDIENCE],
         "iat": now - 7200, "nbf": now - 7200, "exp": now - 3600},
    )
    r = post_assertion(kubeid, directory, workload_sp.app_id, expired)
    assert r.status_code in (400, 401), (r.status_code, r.text)
    assert "access_token" not in r.json(), r.text


def test_a_flood_of_unknown_kids_fetches_the_issuer_keys_once(kubeid, directory, external_issuer, workload_sp):
    # kid injection (RFC 8725 §3.10): assertions arriving together with made-up `kid`s share one
    # fetch of the issuer's discovery document and JWKS; they must not each start one.
    prefix = "/flood-" + uuid.uuid4().hex[:8]
    issuer_url = external_issuer.url + prefix
    kubeid.cli("sp", "federated-credential", "create", "--tenant", directory.tenant_name,
               "--id", workload_sp.app_id, "--issuer", issuer_url, "--subject", SUBJECT,
               "--audience", FIC_AUDIENCE, "--name", "flood" + prefix[7:])
    time.sleep(1.2)  # the issuer's directory cache may be up to a second stale
    now = int(time.time())

    def forged(_):
        token = external_issuer.sign(
            {"iss": issuer_url, "sub": SUBJECT, "aud": [FIC_AUDIENCE], "iat": now, "nbf": now,
             "exp": now + 600, "jti": str(uuid.uuid4())},
            kid="made-up-" + uuid.uuid4().hex)
        return post_assertion(kubeid, directory, workload_sp.app_id, token)

    # Fewer than the 20 failures per client and address that trigger 429 (docs/security.md, Denial of service).
    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(pool.map(forged, range(12)))
    assert [r.status_code for r in responses] == [401] * 12, [r.text[:300] for r in responses]
    assert {r.json()["error_codes"][0] for r in responses} == {700027}
    fetched = [path for path in external_issuer.requests_seen if path.startswith(prefix + "/")]
    assert fetched == [prefix + "/.well-known/openid-configuration", prefix + "/openid/v1/jwks"], fetched
