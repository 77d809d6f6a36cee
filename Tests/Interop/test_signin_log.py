"""The sign-in log, read with `kubeid signin list` after real clients signed in: MSAL Python's
device flow (a wrong password first, in a real Chromium, then the right one) and MSAL's client
credentials with a wrong secret. Each attempt is one record with its AADSTS code and the
correlation id the client saw."""

from __future__ import annotations

import time

import msal

from conftest import AKS_CLIENT_APP, AKS_SCOPE, AKS_SERVER_APP, create_sp
from test_user_signin import Background, browser, create_person  # noqa: F401 (browser is a fixture)


def signins(kubeid, tenant: str, *args: str, at_least: int = 1) -> list[dict]:
    """The tenant's sign-ins, newest first; waits for the issuer's once-a-second batch."""
    deadline = time.monotonic() + 10
    while True:
        records = kubeid.cli("signin", "list", "--tenant", tenant, "--since", "1h", *args)
        if len(records) >= at_least or time.monotonic() > deadline:
            return records
        time.sleep(0.5)


def test_wrong_password_then_right_one_and_a_wrong_secret_are_three_records(kubeid, browser):
    tenant = kubeid.cli("tenant", "create", "--name", "signinlog")
    tid = tenant["id"]
    person = create_person(kubeid, "signinlog", "erin@signinlog.test", "Erin Log", [])
    pipeline = create_sp(kubeid, "signinlog", "log-pipeline")

    app = msal.PublicClientApplication(AKS_CLIENT_APP, authority=f"{kubeid.base}/{tid}", instance_discovery=False,
                                       verify=kubeid.ca)
    flow = app.initiate_device_flow([AKS_SCOPE])
    device_correlation = flow["_correlation_id"]  # MSAL sends it on /devicecode and on every poll
    poll = Background(app.acquire_token_by_device_flow, flow)
    browser.open(flow["verification_uri"], "log-enter-code")
    browser.enter_code(flow["user_code"], "log-sign-in")
    browser.sign_in(person.upn, "not-the-password", "log-wrong-password")
    assert "incorrect" in browser.text, browser.text
    browser.sign_in(person.upn, person.password, "log-confirm")
    browser.confirm("log-done")
    result = poll.result()
    assert "access_token" in result, result

    confidential = msal.ConfidentialClientApplication(pipeline.app_id, client_credential="wrong-secret",
                                                      authority=f"{kubeid.base}/{tid}", instance_discovery=False,
                                                      verify=kubeid.ca)
    refused = confidential.acquire_token_for_client([AKS_SCOPE])
    assert refused.get("error") == "invalid_client" and 7000215 in refused["error_codes"], refused
    secret_correlation = refused["correlation_id"]

    records = signins(kubeid, "signinlog", at_least=3)
    assert [r["status"]["errorCode"] for r in records] == [7000215, 0, 50126], records
    secret, success, wrong = records

    assert wrong["correlationId"] == device_correlation and success["correlationId"] == device_correlation
    assert wrong["userPrincipalName"] == person.upn and wrong["userId"] == person.object_id, wrong
    assert wrong["isInteractive"] is True and wrong["appId"] == AKS_CLIENT_APP, wrong
    assert wrong["status"]["failureReason"].startswith("Error validating credentials"), wrong
    assert wrong["deviceDetail"]["browser"].startswith("Chrome"), wrong
    assert wrong["deviceDetail"]["operatingSystem"] == "Linux", wrong
    assert success["status"] == {"errorCode": 0, "failureReason": None, "additionalDetails": None}, success
    assert success["userId"] == person.object_id and success["resourceId"] == AKS_SERVER_APP, success
    assert success["clientAppUsed"] == "Mobile Apps and Desktop clients", success
    for record in (wrong, success):
        assert record["conditionalAccessStatus"] == "notApplied" and record["appliedConditionalAccessPolicies"] == []
        assert record["resourceTenantId"] == tid and record["ipAddress"] == "127.0.0.1", record

    assert secret["correlationId"] == secret_correlation, (secret, refused)
    assert secret["appId"] == pipeline.app_id and secret["servicePrincipalId"] == pipeline.object_id, secret
    assert secret["isInteractive"] is False and secret["userId"] is None, secret

    # The filters find each of them; nothing holds the password typed by mistake.
    assert [r["id"] for r in signins(kubeid, "signinlog", "--error-code", "50126")] == [wrong["id"]]
    assert [r["id"] for r in signins(kubeid, "signinlog", "--status", "success")] == [success["id"]]
    assert [r["id"] for r in signins(kubeid, "signinlog", "--user", person.upn.upper())] == [success["id"], wrong["id"]]
    assert [r["id"] for r in signins(kubeid, "signinlog", "--app", pipeline.app_id)] == [secret["id"]]
    shown = kubeid.cli("signin", "show", "--id", wrong["id"])
    assert shown == wrong
    table = kubeid.run_cli("signin", "list", "--tenant", "signinlog", "-o", "table").stdout
    assert "failure 50126" in table and "failure 7000215" in table and person.upn in table, table
    assert "not-the-password" not in kubeid.run_cli("signin", "list").stdout
