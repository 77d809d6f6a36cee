"""Client-credentials interop: MSAL Python 1.39 and azure-identity 1.27 against kubeid.

Every token is verified with PyJWT against the JWKS advertised by the v1 discovery
document, with the v1 issuer and the AKS server application as audience.
"""

from __future__ import annotations

import base64
import hashlib
import time
import uuid

import msal
import pytest
from azure.identity import CertificateCredential, ClientSecretCredential
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from conftest import (
    AKS_SCOPE,
    AKS_SERVER_APP,
    RecordingSession,
    b64url,
    b64url_decode,
    jwt_claims_unverified,
    jwt_header,
    verify_v1_app_token,
)

PRIVATE_JWK_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "k", "oth")


def msal_app(kubeid, tenant: str, client_id: str, credential, **kw) -> msal.ConfidentialClientApplication:
    kw.setdefault("verify", kubeid.ca)
    return msal.ConfidentialClientApplication(
        client_id,
        client_credential=credential,
        authority=f"{kubeid.base}/{tenant}",
        instance_discovery=False,
        timeout=30,
        **kw,
    )


def assertion_posts(session: RecordingSession) -> list[str]:
    return [d["client_assertion"] for _, d in session.posts if "client_assertion" in d]


# --------------------------------------------------------------------------- MSAL Python


@pytest.mark.parametrize("tenant_ref", ["id", "name"])
def test_msal_client_secret(kubeid, directory, tenant_ref):
    tenant = directory.tenant_id if tenant_ref == "id" else directory.tenant_name
    sp = directory.secret_sp
    app = msal_app(kubeid, tenant, sp.app_id, sp.password)
    result = app.acquire_token_for_client(scopes=[AKS_SCOPE])
    assert "access_token" in result, result
    assert result.get("token_type", "Bearer").lower() == "bearer", result
    assert isinstance(result.get("expires_in"), int) and result["expires_in"] > 300, result
    verify_v1_app_token(kubeid, directory, result["access_token"], sp, appidacr="1")

    # The second call is answered from MSAL's cache (same token).
    again = app.acquire_token_for_client(scopes=[AKS_SCOPE])
    assert again.get("access_token") == result["access_token"]


@pytest.mark.parametrize("tenant_ref", ["id", "name"])
def test_msal_certificate_thumbprint_rs256(kubeid, directory, tenant_ref):
    """{"private_key", "thumbprint": sha1 hex} → RS256 assertion with x5t (azure-identity's path).
    The assertion's aud is the discovered token endpoint, whichever tenant spelling was used."""
    tenant = directory.tenant_id if tenant_ref == "id" else directory.tenant_name
    sp = directory.cert_sp
    _, cert, key_pem, _ = sp.cert_parts()
    thumbprint = cert.fingerprint(hashes.SHA1()).hex()
    session = RecordingSession(verify=kubeid.ca)
    app = msal_app(kubeid, tenant, sp.app_id,
                   {"private_key": key_pem, "thumbprint": thumbprint}, http_client=session)
    result = app.acquire_token_for_client(scopes=[AKS_SCOPE])
    assert "access_token" in result, result

    sent = assertion_posts(session)
    assert sent, "MSAL sent no client_assertion"
    header = jwt_header(sent[-1])
    assert header["alg"] == "RS256" and "x5t" in header, header
    verify_v1_app_token(kubeid, directory, result["access_token"], sp, appidacr="2")


def test_msal_certificate_public_certificate_ps256(kubeid, directory):
    """{"private_key", "public_certificate"} → PS256 assertion with x5t#S256 (+ x5c)."""
    sp = directory.cert_sp
    _, _, key_pem, cert_pem = sp.cert_parts()
    session = RecordingSession(verify=kubeid.ca)
    app = msal_app(kubeid, directory.tenant_id, sp.app_id,
                   {"private_key": key_pem, "public_certificate": cert_pem}, http_client=session)
    result = app.acquire_token_for_client(scopes=[AKS_SCOPE])
    assert "access_token" in result, result

    sent = assertion_posts(session)
    assert sent, "MSAL sent no client_assertion"
    header = jwt_header(sent[-1])
    assert header["alg"] == "PS256" and "x5t#S256" in header, header
    verify_v1_app_token(kubeid, directory, result["access_token"], sp, appidacr="2")


def test_msal_reused_certificate_assertion_is_accepted(kubeid, directory):
    """MSAL caches its signed client assertion for 540 s (oauth2cli/assertion.py AutoRefresher)
    and sends the very same JWT (same jti) on the next token request, so the IdP must not
    treat a repeated jti within the assertion's lifetime as a replay."""
    sp = directory.cert_sp
    _, cert, key_pem, _ = sp.cert_parts()
    session = RecordingSession(verify=kubeid.ca)
    app = msal_app(kubeid, directory.tenant_id, sp.app_id,
                   {"private_key": key_pem, "thumbprint": cert.fingerprint(hashes.SHA1()).hex()},
                   http_client=session)
    first = app.acquire_token_for_client(scopes=[AKS_SCOPE])
    assert "access_token" in first, first
    app.remove_tokens_for_client()  # force a second round trip
    second = app.acquire_token_for_client(scopes=[AKS_SCOPE])
    sent = assertion_posts(session)
    assert len(sent) == 2 and sent[0] == sent[1], "MSAL was expected to reuse its assertion"
    assert "access_token" in second, second
    verify_v1_app_token(kubeid, directory, second["access_token"], sp, appidacr="2")


def test_azure_identity_certificate_credential_second_scope(kubeid, directory):
    """The user-visible form of the test above: one CertificateCredential asking for two
    resources within MSAL's 540 s assertion reuse window."""
    other_app = str(uuid.uuid4())
    kubeid.cli("app", "create", "--tenant", directory.tenant_name, "--display-name", "second-resource",
               "--app-id", other_app, "--access-token-version", "1")
    sp = directory.cert_sp
    cred = CertificateCredential(
        directory.tenant_id, sp.app_id, certificate_path=sp.pem_path,
        authority=kubeid.base, disable_instance_discovery=True, connection_verify=kubeid.ca,
    )
    with cred:
        cred.get_token(AKS_SCOPE)
        second = cred.get_token(f"{other_app}/.default")
    verify_v1_app_token(kubeid, directory, second.token, sp, appidacr="2", audience=other_app)


def test_msal_wrong_secret_is_invalid_client(kubeid, directory):
    sp = directory.secret_sp
    app = msal_app(kubeid, directory.tenant_id, sp.app_id, "not-the-secret-" + uuid.uuid4().hex)
    result = app.acquire_token_for_client(scopes=[AKS_SCOPE])
    assert "access_token" not in result, result
    assert result.get("error") == "invalid_client", result
    assert 7000215 in result.get("error_codes", []), result
    assert "AADSTS7000215" in result.get("error_description", ""), result


def test_msal_certificate_not_registered_is_rejected(kubeid, directory):
    """A valid-looking assertion signed by a certificate the app doesn't have → no token."""
    sp = directory.cert_sp
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    thumbprint = hashlib.sha1(uuid.uuid4().bytes).hexdigest()
    app = msal_app(kubeid, directory.tenant_id, sp.app_id, {"private_key": key_pem, "thumbprint": thumbprint})
    result = app.acquire_token_for_client(scopes=[AKS_SCOPE])
    assert "access_token" not in result, result
    assert result.get("error") == "invalid_client", result


# --------------------------------------------------------------------------- azure-identity


def test_azure_identity_client_secret_credential(kubeid, directory):
    sp = directory.secret_sp
    cred = ClientSecretCredential(
        directory.tenant_id, sp.app_id, sp.password,
        authority=kubeid.base, disable_instance_discovery=True, connection_verify=kubeid.ca,
    )
    with cred:
        token = cred.get_token(AKS_SCOPE)
    assert token.expires_on > time.time() + 300
    verify_v1_app_token(kubeid, directory, token.token, directory.secret_sp, appidacr="1")


def test_azure_identity_certificate_credential(kubeid, directory):
    sp = directory.cert_sp
    cred = CertificateCredential(
        directory.tenant_id, sp.app_id, certificate_path=sp.pem_path,
        authority=kubeid.base, disable_instance_discovery=True, connection_verify=kubeid.ca,
    )
    with cred:
        token = cred.get_token(AKS_SCOPE)
    assert token.expires_on > time.time() + 300
    verify_v1_app_token(kubeid, directory, token.token, sp, appidacr="2")


def test_azure_identity_wrong_secret_raises(kubeid, directory):
    from azure.core.exceptions import ClientAuthenticationError

    sp = directory.secret_sp
    cred = ClientSecretCredential(
        directory.tenant_id, sp.app_id, "wrong-" + uuid.uuid4().hex,
        authority=kubeid.base, disable_instance_discovery=True, connection_verify=kubeid.ca,
    )
    with cred, pytest.raises(ClientAuthenticationError) as info:
        cred.get_token(AKS_SCOPE)
    assert "AADSTS7000215" in str(info.value)


# --------------------------------------------------------------------------- raw HTTP


def test_v2_token_response_shape(kubeid, directory):
    sp = directory.secret_sp
    r = kubeid.post(f"/{directory.tenant_id}/oauth2/v2.0/token", data={
        "grant_type": "client_credentials", "client_id": sp.app_id,
        "client_secret": sp.password, "scope": AKS_SCOPE,
    })
    assert r.status_code == 200, r.text
    assert "no-store" in r.headers.get("Cache-Control", ""), dict(r.headers)
    assert r.headers.get("Content-Type", "").startswith("application/json"), dict(r.headers)
    body = r.json()
    assert body["token_type"] == "Bearer", body
    assert isinstance(body["expires_in"], int) and not isinstance(body["expires_in"], bool), body
    if "ext_expires_in" in body:
        assert isinstance(body["ext_expires_in"], int), body
    for absent in ("refresh_token", "id_token", "client_info"):
        assert absent not in body, f"client credentials must not return {absent}: {body}"
    claims = verify_v1_app_token(kubeid, directory, body["access_token"], sp, appidacr="1")
    assert abs((claims["exp"] - claims["iat"]) - body["expires_in"]) <= 5, (claims, body)


def test_client_secret_basic(kubeid, directory):
    sp = directory.secret_sp
    r = kubeid.post(f"/{directory.tenant_id}/oauth2/v2.0/token",
                    auth=(sp.app_id, sp.password),
                    data={"grant_type": "client_credentials", "scope": AKS_SCOPE})
    assert r.status_code == 200, r.text
    verify_v1_app_token(kubeid, directory, r.json()["access_token"], sp, appidacr="1")


def test_v1_token_endpoint_resource(kubeid, directory):
    sp = directory.secret_sp
    r = kubeid.post(f"/{directory.tenant_id}/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": sp.app_id,
        "client_secret": sp.password, "resource": AKS_SERVER_APP,
    })
    assert r.status_code == 200, r.text
    assert "no-store" in r.headers.get("Cache-Control", ""), dict(r.headers)
    body = r.json()
    for name in ("expires_in", "expires_on"):
        assert isinstance(body.get(name), str) and body[name].isdigit(), body
    assert body.get("resource") == AKS_SERVER_APP, body
    assert body["token_type"] == "Bearer", body
    expires_on = int(body["expires_on"])
    assert abs(expires_on - (time.time() + int(body["expires_in"]))) < 60, body
    if "not_before" in body:
        assert isinstance(body["not_before"], str) and body["not_before"].isdigit(), body
    verify_v1_app_token(kubeid, directory, body["access_token"], sp, appidacr="1")


def test_bad_secret_raw_error_shape(kubeid, directory):
    sp = directory.secret_sp
    r = kubeid.post(f"/{directory.tenant_id}/oauth2/v2.0/token", data={
        "grant_type": "client_credentials", "client_id": sp.app_id,
        "client_secret": "bogus", "scope": AKS_SCOPE,
    })
    assert r.status_code == 401, (r.status_code, r.text)
    body = r.json()
    assert body["error"] == "invalid_client", body
    assert body["error_description"].startswith("AADSTS7000215"), body
    assert body["error_codes"] == [7000215], body
    for name in ("timestamp", "trace_id", "correlation_id"):
        assert name in body, f"{name} missing: {body}"


def test_v2_rejects_resource_parameter(kubeid, directory):
    sp = directory.secret_sp
    r = kubeid.post(f"/{directory.tenant_id}/oauth2/v2.0/token", data={
        "grant_type": "client_credentials", "client_id": sp.app_id,
        "client_secret": sp.password, "resource": AKS_SERVER_APP,
    })
    assert r.status_code == 400, (r.status_code, r.text)
    assert "AADSTS901002" in r.json().get("error_description", ""), r.text


@pytest.mark.parametrize("tenant", [str(uuid.UUID(int=0x1234)), "no-such-tenant"])
def test_unknown_tenant_discovery(kubeid, tenant):
    r = kubeid.get(f"/{tenant}/v2.0/.well-known/openid-configuration")
    assert r.status_code == 400, (r.status_code, r.text)
    body = r.json()
    assert "AADSTS90002" in body.get("error_description", ""), body
    assert 90002 in body.get("error_codes", []), body
    assert body.get("error") == "invalid_tenant", body


def test_discovery_documents(kubeid, directory):
    tid = directory.tenant_id
    for ref in (tid, directory.tenant_name):
        v2 = kubeid.get(f"/{ref}/v2.0/.well-known/openid-configuration")
        assert v2.status_code == 200, v2.text
        d2 = v2.json()
        assert d2["issuer"] == kubeid.v2_issuer(tid), d2
        assert d2["token_endpoint"] == f"{kubeid.base}/{tid}/oauth2/v2.0/token", d2
        assert d2["jwks_uri"].startswith(kubeid.base + "/"), d2
        assert d2["authorization_endpoint"].startswith(kubeid.base + "/"), d2

        v1 = kubeid.get(f"/{ref}/.well-known/openid-configuration")
        assert v1.status_code == 200, v1.text
        d1 = v1.json()
        assert d1["issuer"] == kubeid.v1_issuer(tid), d1
        assert d1["token_endpoint"] == f"{kubeid.base}/{tid}/oauth2/token", d1
        assert d1["jwks_uri"].startswith(kubeid.base + "/"), d1


@pytest.mark.parametrize("path", ["/discovery/keys", "/discovery/v2.0/keys"])
def test_jwks_has_only_public_members(kubeid, directory, path):
    r = kubeid.get(f"/{directory.tenant_id}{path}")
    assert r.status_code == 200, r.text
    keys = r.json()["keys"]
    assert keys, "empty JWKS"
    for jwk in keys:
        leaked = [m for m in PRIVATE_JWK_MEMBERS if m in jwk]
        assert not leaked, f"private members {leaked} in JWKS entry {jwk.get('kid')}"
        assert jwk["kty"] == "RSA", jwk
        for member in ("kid", "x5t", "x5c", "n", "e"):
            assert jwk.get(member), f"{member} missing in {jwk}"
        # x5c[0] is the DER certificate for this very key; x5t is its SHA-1 thumbprint.
        der = base64.b64decode(jwk["x5c"][0])
        cert = x509.load_der_x509_certificate(der)
        numbers = cert.public_key().public_numbers()
        assert int.from_bytes(b64url_decode(jwk["n"]), "big") == numbers.n, jwk["kid"]
        assert int.from_bytes(b64url_decode(jwk["e"]), "big") == numbers.e, jwk["kid"]
        assert jwk["x5t"].rstrip("=") == b64url(hashlib.sha1(der).digest()), jwk


def test_token_header_kid_matches_x5t(kubeid, directory):
    sp = directory.secret_sp
    r = kubeid.post(f"/{directory.tenant_id}/oauth2/v2.0/token", data={
        "grant_type": "client_credentials", "client_id": sp.app_id,
        "client_secret": sp.password, "scope": AKS_SCOPE,
    })
    assert r.status_code == 200, r.text
    header = jwt_header(r.json()["access_token"])
    assert header["typ"] == "JWT", header
    assert header["x5t"] == header["kid"], f"v1 tokens: x5t equals kid: {header}"
    claims = jwt_claims_unverified(r.json()["access_token"])
    assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int), claims
