"""Developers sign in: real Microsoft clients (MSAL Python, azure-identity) against a live
kubeid, with a real headless Chromium completing kubeid's sign-in pages (device code and
authorization code + PKCE), then checking the tokens the clients receive.

Screenshots of every page land in artifacts/screenshots/.
"""

from __future__ import annotations

import http.server
import json
import queue
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass

import jwt
import msal
import pytest
import requests
from azure.identity import DeviceCodeCredential

from browser import Browser, totp
from conftest import (
    AKS_CLIENT_APP, AKS_SCOPE, AKS_SERVER_APP, ARTIFACTS, Directory, KubeID, b64url_decode, fetch_jwks,
    free_port, jwt_claims_unverified, jwt_header, launch_kubeid, stop_kubeid,
)


# --------------------------------------------------------------------------- fixtures


@dataclass
class Person:
    upn: str
    password: str
    object_id: str
    display_name: str
    otpauth: str | None = None


def create_person(kubeid: KubeID, tenant: str, upn: str, name: str, groups: list[str], mfa: bool = False,
                  given: str | None = None, surname: str | None = None) -> Person:
    password = "Pw-" + secrets.token_urlsafe(12)
    args = ["user", "create", "--tenant", tenant, "--user-principal-name", upn, "--display-name", name,
            "--password-stdin"]
    if given:
        args += ["--given-name", given]
    if surname:
        args += ["--surname", surname]
    out = kubeid.cli(*args, input=password + "\n")
    assert out["userPrincipalName"] == upn and out["displayName"] == name, out
    assert "password" not in json.dumps(out).lower() or "passwordhash" not in json.dumps(out).lower()
    for group in groups:
        kubeid.cli("group", "member", "add", "--tenant", tenant, "--group", group, "--member-id", out["id"])
    person = Person(upn=upn, password=password, object_id=out["id"], display_name=name)
    if mfa:
        enrolled = kubeid.cli("user", "mfa", "enable", "--tenant", tenant, "--id", upn)
        assert enrolled["otpauthUri"].startswith(f"otpauth://totp/kubeid:{upn}?secret="), enrolled
        assert "&issuer=kubeid&algorithm=SHA1&digits=6&period=30" in enrolled["otpauthUri"], enrolled
        person.otpauth = enrolled["otpauthUri"]
    return person


@pytest.fixture(scope="session")
def people(kubeid: KubeID, directory: Directory) -> dict[str, Person]:
    """alice: member of platform-team, which is nested in aks-admins (two groups, one nested).
    bob: same groups, with a TOTP second factor."""
    return {
        "alice": create_person(kubeid, "contoso", "alice@contoso.test", "Alice Jones", [directory.inner_group],
                               given="Alice", surname="Jones"),
        "bob": create_person(kubeid, "contoso", "bob@contoso.test", "Bob Smith", [directory.inner_group], mfa=True),
    }


@pytest.fixture
def browser(request):
    b = Browser(request.node.name)
    yield b
    b.close()


class Background:
    """Runs a blocking client call (a device-flow poll loop) on a thread."""

    def __init__(self, function, *args, **kwargs):
        self._result: queue.Queue = queue.Queue()

        def run():
            try:
                self._result.put(("ok", function(*args, **kwargs)))
            except BaseException as exc:  # noqa: BLE001 - handed to the test thread
                self._result.put(("error", exc))

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def result(self, timeout: float = 90):
        kind, value = self._result.get(timeout=timeout)
        if kind == "error":
            raise value
        return value


def verify_user_token(kubeid: KubeID, tid: str, token: str, audience: str = AKS_SERVER_APP) -> dict:
    """Signature via the JWKS, v1 issuer and audience, as guard / kube-apiserver check them."""
    header = jwt_header(token)
    assert header["alg"] == "RS256" and header.get("x5t") == header.get("kid"), header
    jwks = fetch_jwks(kubeid, tid)
    key = jwt.PyJWK(next(k for k in jwks["keys"] if k["kid"] == header["kid"]), algorithm="RS256").key
    return jwt.decode(token, key, algorithms=["RS256"], audience=audience, issuer=kubeid.v1_issuer(tid),
                      options={"require": ["exp", "iat", "nbf", "iss", "aud", "sub"]})


def check_user_claims(claims: dict, person: Person, directory: Directory, amr: list[str]) -> None:
    assert claims["ver"] == "1.0", claims
    assert claims["tid"] == directory.tenant_id, claims
    assert claims["oid"] == person.object_id, claims
    assert claims["upn"] == person.upn and claims["unique_name"] == person.upn, claims
    assert claims["name"] == person.display_name, claims
    assert claims["appid"] == AKS_CLIENT_APP and claims["appidacr"] == "0", claims
    assert claims["scp"] == "user.read", claims
    assert claims["amr"] == amr, claims
    assert claims["ipaddr"] == "127.0.0.1", claims
    assert claims["sub"] and claims["sub"] != person.object_id, "sub is pairwise, not the oid"
    assert "idtyp" not in claims, claims
    groups = claims["groups"]
    assert directory.inner_group in groups, f"direct group missing: {claims}"
    assert directory.outer_group in groups, f"nested group missing: {claims}"


def public_app(kubeid: KubeID, tid: str) -> msal.PublicClientApplication:
    return msal.PublicClientApplication(AKS_CLIENT_APP, authority=f"{kubeid.base}/{tid}", instance_discovery=False,
                                        verify=kubeid.ca)


# --------------------------------------------------------------------------- device code


def test_msal_device_flow_then_silent_refresh(kubeid, directory, people, browser):
    person = people["alice"]
    tid = directory.tenant_id
    app = public_app(kubeid, tid)
    flow = app.initiate_device_flow([AKS_SCOPE])
    assert "user_code" in flow, flow
    assert flow["message"] == (f"To sign in, use a web browser to open the page {kubeid.base}/devicelogin "
                               f"and enter the code {flow['user_code']} to authenticate."), flow
    assert flow["verification_uri"] == f"{kubeid.base}/devicelogin"
    assert flow["interval"] == 5 and flow["expires_in"] == 900, flow

    poll = Background(app.acquire_token_by_device_flow, flow)
    browser.approve_device_code(flow["verification_uri"], flow["user_code"], person.upn, person.password)
    result = poll.result()
    assert "access_token" in result, result

    claims = verify_user_token(kubeid, tid, result["access_token"])
    check_user_claims(claims, person, directory, ["pwd"])
    assert claims["given_name"] == "Alice" and claims["family_name"] == "Jones", claims

    # The ID token and client_info MSAL builds the account from (docs/compatibility.md, Token responses).
    id_claims = result["id_token_claims"]
    assert id_claims["aud"] == AKS_CLIENT_APP and id_claims["iss"] == kubeid.v2_issuer(tid), id_claims
    assert id_claims["preferred_username"] == person.upn and id_claims["oid"] == person.object_id, id_claims
    assert id_claims["sub"] == claims["sub"] and id_claims["tid"] == tid, id_claims
    assert "=" not in result["client_info"]
    assert json.loads(b64url_decode(result["client_info"])) == {"uid": person.object_id, "utid": tid}
    assert AKS_SCOPE in result["scope"].split(), result["scope"]
    assert result.get("refresh_token"), "offline_access yields a refresh token"

    # Silent refresh through MSAL's cache: the account exists, the refresh token is rotated and
    # the new access token still carries the groups.
    accounts = app.get_accounts()
    assert [a["username"] for a in accounts] == [person.upn], accounts
    assert accounts[0]["home_account_id"] == f"{person.object_id}.{tid}", accounts
    silent = app.acquire_token_silent([AKS_SCOPE], account=accounts[0], force_refresh=True)
    assert silent and "access_token" in silent, silent
    assert silent["token_source"] == "identity_provider", silent
    assert silent["access_token"] != result["access_token"]
    refreshed = verify_user_token(kubeid, tid, silent["access_token"])
    check_user_claims(refreshed, person, directory, ["pwd"])

    # The first refresh token is spent: replaying it after the 5 s grace window is reuse, which
    # revokes the whole family, so the rotated one stops working too.
    time.sleep(5.5)
    replay = kubeid.post(f"/{tid}/oauth2/v2.0/token", data={
        "grant_type": "refresh_token", "client_id": AKS_CLIENT_APP, "refresh_token": result["refresh_token"],
        "scope": AKS_SCOPE})
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant", replay.text
    assert replay.json()["error_codes"] == [50173], replay.text
    again = app.acquire_token_silent([AKS_SCOPE], account=accounts[0], force_refresh=True)
    assert not again or "access_token" not in again, again


def test_azure_identity_device_code_credential(kubeid, directory, people, browser):
    person = people["alice"]
    tid = directory.tenant_id
    errors: list[BaseException] = []
    done = threading.Event()

    def prompt(verification_uri, user_code, expires_on):
        def drive():
            try:
                browser.approve_device_code(verification_uri, user_code, person.upn, person.password)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                done.set()
        threading.Thread(target=drive, daemon=True).start()

    credential = DeviceCodeCredential(client_id=AKS_CLIENT_APP, tenant_id=tid, authority=kubeid.base,
                                      disable_instance_discovery=True, connection_verify=kubeid.ca,
                                      prompt_callback=prompt, timeout=120)
    token = credential.get_token(AKS_SCOPE)
    done.wait(30)
    if errors:
        raise errors[0]
    claims = verify_user_token(kubeid, tid, token.token)
    check_user_claims(claims, person, directory, ["pwd"])
    assert abs(token.expires_on - claims["exp"]) <= 30  # azure-identity counts from its own clock


def test_device_code_credential_without_a_tenant_on_a_single_tenant_installation(tmp_path, browser):
    """azure-identity defaults to the `organizations` authority when no tenant id is given; an
    installation with one tenant answers it with that tenant (more tenants: AADSTS90002)."""
    server = launch_kubeid(tmp_path / "kubeid-single", ARTIFACTS / "kubeid-single-tenant.log")
    try:
        tenant = server.cli("tenant", "create", "--name", "solo")
        person = create_person(server, "solo", "dana@solo.test", "Dana Solo", [])
        errors: list[BaseException] = []
        done = threading.Event()

        def prompt(verification_uri, user_code, expires_on):
            def drive():
                try:
                    browser.approve_device_code(verification_uri, user_code, person.upn, person.password)
                except BaseException as exc:  # noqa: BLE001
                    errors.append(exc)
                finally:
                    done.set()
            threading.Thread(target=drive, daemon=True).start()

        credential = DeviceCodeCredential(client_id=AKS_CLIENT_APP, authority=server.base,
                                          disable_instance_discovery=True, connection_verify=server.ca,
                                          prompt_callback=prompt, timeout=120)
        token = credential.get_token(AKS_SCOPE)
        done.wait(30)
        if errors:
            raise errors[0]
        claims = verify_user_token(server, tenant["id"], token.token)
        assert claims["tid"] == tenant["id"] and claims["oid"] == person.object_id, claims

        # Client credentials still need the tenant named, as in Entra.
        r = server.post("/organizations/oauth2/v2.0/token", data={
            "grant_type": "client_credentials", "client_id": AKS_CLIENT_APP, "client_secret": "x", "scope": AKS_SCOPE})
        assert r.status_code == 400 and r.json()["error_codes"] == [90002], r.text

        # A second tenant makes the alias ambiguous: unknown again.
        server.cli("tenant", "create", "--name", "duo")
        time.sleep(1.2)  # the issuer's directory cache may be up to a second stale
        r = server.get("/organizations/v2.0/.well-known/openid-configuration")
        assert r.status_code == 400 and r.json()["error_codes"] == [90002], r.text
    finally:
        assert stop_kubeid(server) == 0, server.log_tail()


def test_mfa_user_gets_amr_pwd_mfa(kubeid, directory, people, browser):
    person = people["bob"]
    tid = directory.tenant_id
    app = public_app(kubeid, tid)
    flow = app.initiate_device_flow([AKS_SCOPE])
    poll = Background(app.acquire_token_by_device_flow, flow)
    browser.approve_device_code(flow["verification_uri"], flow["user_code"], person.upn, person.password,
                                otpauth_uri=person.otpauth)
    result = poll.result()
    claims = verify_user_token(kubeid, tid, result["access_token"])
    check_user_claims(claims, person, directory, ["pwd", "mfa"])


def test_cancel_is_authorization_declined(kubeid, directory, people, browser):
    person = people["alice"]
    app = public_app(kubeid, directory.tenant_id)
    flow = app.initiate_device_flow([AKS_SCOPE])
    poll = Background(app.acquire_token_by_device_flow, flow)
    browser.open(flow["verification_uri"], "enter-code")
    browser.enter_code(flow["user_code"], "sign-in")
    browser.sign_in(person.upn, person.password, "confirm")
    confirm_text = browser.text
    # RFC 8628 §5.4: the page names the app, the resource, the organisation, when and where.
    for expected in ("Azure Kubernetes Service AAD Client", "Azure Kubernetes Service AAD Server", "user.read",
                     "contoso", directory.tenant_id, "127.0.0.1", "UTC", "Cancel", "Continue"):
        assert expected in confirm_text, (expected, confirm_text)
    browser.cancel("cancelled")
    assert browser.title == "Sign-in cancelled", browser.text
    result = poll.result()
    assert result.get("error") == "authorization_declined", result


# --------------------------------------------------------------------------- authorization code + PKCE


class LoopbackListener:
    """What MSAL's loopback listener is: http://localhost:<port>, receiving the form_post."""

    def __init__(self):
        self.port = free_port()
        self.received: queue.Queue = queue.Queue()
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                listener.received.put(("POST", dict(urllib.parse.parse_qsl(body))))
                self._reply()

            def do_GET(self):  # noqa: N802
                parts = urllib.parse.urlsplit(self.path)
                if parts.path == "/":  # not the browser's /favicon.ico
                    listener.received.put(("GET", dict(urllib.parse.parse_qsl(parts.query))))
                self._reply()

            def _reply(self):
                page = b"<!doctype html><title>Done</title><h1>Authentication complete</h1>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_msal_auth_code_pkce_form_post_in_browser(kubeid, directory, people, browser):
    person = people["alice"]
    tid = directory.tenant_id
    app = public_app(kubeid, tid)
    listener = LoopbackListener()
    try:
        # Any port on http://localhost matches the AKS client's registered http://localhost (RFC 8252).
        flow = app.initiate_auth_code_flow([AKS_SCOPE], redirect_uri=f"http://localhost:{listener.port}",
                                           response_mode="form_post")
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(flow["auth_uri"]).query))
        assert query["code_challenge_method"] == "S256" and query["response_mode"] == "form_post", query
        browser.open(flow["auth_uri"], "authorize-sign-in")
        assert browser.title == "Sign in", browser.text
        browser.sign_in(person.upn, person.password, "returned-to-app")
        method, response = listener.received.get(timeout=30)
        assert method == "POST", (method, response)
        assert response["state"] == flow["state"], response
        assert response["iss"] == kubeid.v2_issuer(tid), response
        result = app.acquire_token_by_auth_code_flow(flow, response)
        assert "access_token" in result, result
        # MSAL sends sha256(nonce) and checks the ID token echoes exactly that
        # (docs/compatibility.md, User grants).
        assert result["id_token_claims"]["nonce"] == query["nonce"], result["id_token_claims"]
        claims = verify_user_token(kubeid, tid, result["access_token"])
        check_user_claims(claims, person, directory, ["pwd"])
        # The code is single use.
        replay = kubeid.post(f"/{tid}/oauth2/v2.0/token", data={
            "grant_type": "authorization_code", "client_id": AKS_CLIENT_APP, "code": response["code"],
            "redirect_uri": f"http://localhost:{listener.port}", "code_verifier": flow["code_verifier"]})
        assert replay.status_code == 400 and replay.json()["error_codes"] == [54005], replay.text

        # Single sign-on: the browser is signed in, the next authorize completes without a page.
        second = app.initiate_auth_code_flow([AKS_SCOPE], redirect_uri=f"http://localhost:{listener.port}",
                                             response_mode="form_post")
        browser.driver.get(second["auth_uri"])
        method, response = listener.received.get(timeout=30)
        assert response.get("state") == second["state"], response
        assert "access_token" in app.acquire_token_by_auth_code_flow(second, response)
    finally:
        listener.close()


def test_authorize_redirect_uri_errors_stay_on_a_page(kubeid, directory, browser):
    tid = directory.tenant_id
    url = (f"{kubeid.base}/{tid}/oauth2/v2.0/authorize?client_id={AKS_CLIENT_APP}&response_type=code"
           f"&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&scope={urllib.parse.quote(AKS_SCOPE)}&state=x")
    browser.open(url, "bad-redirect-uri")
    assert "reply address" in browser.title.lower(), browser.text
    assert browser.driver.current_url.startswith(kubeid.base), "never redirected to an unregistered URI"


# --------------------------------------------------------------------------- a strict second server


@dataclass
class StrictServer:
    kubeid: KubeID
    tenant_id: str
    groups: list[str]
    carol: Person


@pytest.fixture(scope="module")
def strict(tmp_path_factory) -> StrictServer:
    """A second kubeid with an 8-second device-code lifetime and an overage limit of 1 group, so
    expiry and overage show quickly; its own source-address counters keep the brute-force test
    from blocking the other browser tests."""
    server = launch_kubeid(tmp_path_factory.mktemp("kubeid-strict"), ARTIFACTS / "kubeid-strict.log",
                           ("--device-code-lifetime", "8", "--group-overage-limit", "1"))
    try:
        tenant = server.cli("tenant", "create", "--name", "fabrikam")
        first = server.cli("group", "create", "--tenant", "fabrikam", "--display-name", "cluster-readers")
        second = server.cli("group", "create", "--tenant", "fabrikam", "--display-name", "cluster-writers")
        carol = create_person(server, "fabrikam", "carol@fabrikam.test", "Carol White", [first["id"], second["id"]])
        yield StrictServer(kubeid=server, tenant_id=tenant["id"], groups=[first["id"], second["id"]], carol=carol)
    finally:
        rc = stop_kubeid(server)
        assert rc == 0, server.log_tail()


def device_code(server: KubeID, tid: str) -> dict:
    r = server.post(f"/{tid}/oauth2/v2.0/devicecode", data={"client_id": AKS_CLIENT_APP, "scope": AKS_SCOPE})
    assert r.status_code == 200, r.text
    return r.json()


def poll(server: KubeID, tid: str, code: str) -> requests.Response:
    return server.post(f"/{tid}/oauth2/v2.0/token", data={
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "client_id": AKS_CLIENT_APP,
        "device_code": code})


def test_expired_code_is_expired_token(strict):
    server, tid = strict.kubeid, strict.tenant_id
    app = public_app(server, tid)
    flow = app.initiate_device_flow([AKS_SCOPE])
    assert flow["expires_in"] == 8, flow
    # MSAL stops by itself at expires_at; push that back so it sees the server's verdict.
    flow["expires_at"] = time.time() + 60
    result = app.acquire_token_by_device_flow(flow)
    assert result.get("error") == "expired_token", result
    assert 70020 in result.get("error_codes", []), result


def test_wrong_code_six_times_is_blocked(strict, browser):
    server, tid = strict.kubeid, strict.tenant_id
    browser.open(f"{server.base}/devicelogin", "enter-code")
    for attempt in range(1, 6):
        browser.enter_code("BCDF-GHJK" if attempt % 2 else "zzzzxxxx", f"wrong-{attempt}")
        assert "That code didn't work" in browser.text, browser.text
    browser.enter_code("WXYZ-BCDF", "blocked")
    assert "Too many attempts" in browser.text, browser.text
    # Even a valid code is refused now, from this browser and this address.
    real = device_code(server, tid)
    browser.enter_code(real["user_code"], "blocked-valid-code")
    assert "Too many attempts" in browser.text, browser.text
    assert browser.title == "Enter code"


def test_password_grant_only_when_enabled(strict):
    server, tid, carol = strict.kubeid, strict.tenant_id, strict.carol
    fields = {"grant_type": "password", "client_id": AKS_CLIENT_APP, "username": carol.upn,
              "password": carol.password, "scope": AKS_SCOPE + " openid profile offline_access", "client_info": "1"}
    refused = server.post(f"/{tid}/oauth2/v2.0/token", data=fields)
    assert refused.status_code == 400 and refused.json()["error"] == "unsupported_grant_type", refused.text
    updated = server.cli("app", "update", "--tenant", tid, "--id", AKS_CLIENT_APP, "--enable-ropc")
    assert updated["allowPasswordGrant"] is True, updated
    time.sleep(1.2)  # the server's directory cache notices the change within a second
    wrong = server.post(f"/{tid}/oauth2/v2.0/token", data={**fields, "password": "not-the-password"})
    assert wrong.status_code == 400 and wrong.json()["error_codes"] == [50126], wrong.text
    ok = server.post(f"/{tid}/oauth2/v2.0/token", data=fields)
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["id_token"] and body["client_info"] and body["refresh_token"], body
    claims = verify_user_token(server, tid, body["access_token"])
    assert claims["upn"] == carol.upn and claims["amr"] == ["pwd"], claims


def test_group_overage_points_at_graph_endpoint(strict):
    server, tid, carol = strict.kubeid, strict.tenant_id, strict.carol
    server.cli("app", "update", "--tenant", tid, "--id", AKS_CLIENT_APP, "--enable-ropc")
    time.sleep(1.2)
    token = server.post(f"/{tid}/oauth2/v2.0/token", data={
        "grant_type": "password", "client_id": AKS_CLIENT_APP, "username": carol.upn, "password": carol.password,
        "scope": AKS_SCOPE}).json()["access_token"]
    claims = verify_user_token(server, tid, token)
    assert "groups" not in claims, claims
    endpoint = claims["_claim_sources"][claims["_claim_names"]["groups"]]["endpoint"]
    assert endpoint == f"{server.base}/v1.0/users/{carol.object_id}/getMemberObjects", claims
    answer = requests.post(endpoint, json={"securityEnabledOnly": True}, verify=server.ca, timeout=30,
                           headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()["value"]) == sorted(strict.groups), answer.text
    unauthenticated = requests.post(endpoint, json={}, verify=server.ca, timeout=30)
    assert unauthenticated.status_code == 401, unauthenticated.text
