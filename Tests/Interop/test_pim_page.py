"""The /pim self-service page in a real headless Chromium: a person eligible for a group (set up
with `kubeid pim eligible add`) signs in, activates it with a justification, sees the active
assignment with its end, and deactivates it. With KUBEID_UPDATE_DOCS_IMAGES=1 the page with the
active assignment is saved as docs/images/pim-page.png, the screenshot docs/just-in-time-access.md shows."""

from __future__ import annotations

import os
import re
import secrets
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from browser import Browser
from conftest import Directory, KubeID

DOCS_IMAGE = Path(__file__).resolve().parents[2] / "docs" / "images" / "pim-page.png"


@pytest.fixture
def browser(request):
    b = Browser(request.node.name)
    yield b
    b.close()


def active_for(kubeid: KubeID, tenant: str, group_id: str, user_id: str) -> list[dict]:
    listed = kubeid.cli("pim", "list", "--tenant", tenant, "--group", group_id)
    return [item for item in listed if item.get("kind") == "active" and item.get("principalId") == user_id]


def test_activate_and_deactivate_on_the_pim_page(kubeid: KubeID, directory: Directory, browser: Browser):
    tenant = directory.tenant_name
    upn = f"carol.{secrets.token_hex(3)}@contoso.test"
    password = "Pw-" + secrets.token_urlsafe(12)
    user = kubeid.cli("user", "create", "--tenant", tenant, "--user-principal-name", upn, "--display-name", "Carol Diaz",
                      "--password-stdin", input=password + "\n")
    group = kubeid.cli("group", "create", "--tenant", tenant, "--display-name", "prod-operators")
    suffix = secrets.token_hex(2)
    prod, staging = f"prod-eu-{suffix}", f"staging-{suffix}"
    kubeid.cli("cluster", "create", "--tenant", tenant, "--name", prod, "--server", "https://10.0.0.1:6443",
               "--enable-aad", "--aad-admin-group-object-ids", group["id"], "--enable-azure-rbac")
    kubeid.cli("cluster", "create", "--tenant", tenant, "--name", staging, "--server", "https://10.0.0.2:6443",
               "--enable-aad", "--aad-admin-group-object-ids", directory.outer_group, "--enable-azure-rbac")
    kubeid.cli("role", "assignment", "create", "--role", "Azure Kubernetes Service RBAC Writer", "--assignee", group["id"],
               "--scope", f"/tenants/{directory.tenant_id}/clusters/{staging}/namespaces/payments")
    kubeid.cli("pim", "eligible", "add", "--tenant", tenant, "--group", group["id"], "--principal", upn, "--access", "member")
    kubeid.cli("pim", "policy", "update", "--tenant", tenant, "--group", group["id"], "--max-duration", "PT1H")

    browser.open(f"{kubeid.base}/pim?tenant={tenant}", "pim-sign-in")
    assert browser.title == "Sign in", browser.text
    browser.sign_in(upn, password, "pim-eligible")
    assert browser.title == "Privileged access — My groups", browser.text
    text = browser.text
    for expected in ("Carol Diaz", upn, "prod-operators", prod, "cluster-admin", staging,
                     "Azure Kubernetes Service RBAC Writer", "Namespace payments", "maximum 1 hour",
                     "Justification required", "You have no active assignments."):
        assert expected in text, (expected, text)

    field = f"justification-{group['id']}-member"
    browser.type(field, "INC-2041: payments API latency on prod-eu")
    started = datetime.now(timezone.utc)
    browser.submit("form.activate button.primary", "pim-active")
    text = browser.text
    assert "Your access is active." in text, text
    ends = re.search(r"Active until (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC", text)
    assert ends, text
    end = datetime.strptime(ends.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
    assert abs(end - (started + timedelta(hours=1))) < timedelta(minutes=2), (end, started)
    # The active assignments table shows it too, with its end and a Deactivate button.
    assert f"{ends.group(1)} UTC" in text.split("Active assignments", 1)[1], text
    assert "Deactivate" in text, text
    assert active_for(kubeid, tenant, group["id"], user["id"]), "kubeid pim list shows the activation"

    # The screenshot for docs/just-in-time-access.md: 1200x800 CSS pixels, the page as a person sees it.
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 1200, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    browser.driver.execute_script("window.scrollTo(0, 0)")
    shot = browser.screenshot("pim-docs")
    # The committed image changes only when asked (a test run leaves the tree clean).
    if os.environ.get("KUBEID_UPDATE_DOCS_IMAGES") == "1":
        DOCS_IMAGE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, DOCS_IMAGE)
    browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    browser.submit("button.small-button", "pim-deactivated")
    text = browser.text
    assert "Your access was deactivated." in text, text
    assert "You have no active assignments." in text, text
    assert not active_for(kubeid, tenant, group["id"], user["id"]), "kubeid pim list no longer shows it"
