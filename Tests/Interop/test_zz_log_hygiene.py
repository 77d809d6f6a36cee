"""Runs last (file order): no server log of this run holds a secret or a token.

Every `kubeid serve` of the interop suite logs into Tests/Interop/artifacts/kubeid-*.log. After all
the flows above (client credentials with secrets and certificates, device code, browser sign-ins
with passwords, refresh tokens, Graph calls, webhooks), none of those logs may contain a client
secret the tests created, a JWT, or a form field carrying a secret, password, code or token.
"""

from __future__ import annotations

import re

import pytest

from conftest import ARTIFACTS, CREATED_SECRETS

JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.")
FORM_SECRET = re.compile(r"(client_secret|password|refresh_token|device_code|code_verifier|client_assertion)=[^&\s]{6,}")


def test_no_server_log_holds_a_secret_or_a_token(kubeid, request):
    if len(request.session.items) < 20:
        pytest.skip("meaningful only after the whole suite ran (run Tests/Interop/run.sh without -k)")
    logs = sorted(ARTIFACTS.glob("kubeid-*.log"))
    assert logs, "the suite wrote no server logs"
    assert len(CREATED_SECRETS) >= 5, CREATED_SECRETS  # the scan below is not vacuous
    for log in logs:
        text = log.read_text(errors="replace")
        for secret in CREATED_SECRETS:
            assert secret not in text, f"{log.name} holds a client secret"
        assert not JWT.search(text), f"{log.name} holds a JWT: {JWT.search(text).group(0)[:40]}…"
        found = FORM_SECRET.search(text)
        assert not found, f"{log.name} holds {found.group(1)}=…"
