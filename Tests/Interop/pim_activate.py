"""Activates (or deactivates) a just-in-time group membership through Microsoft's Graph SDK.

A person signs in with MSAL's device flow as the "Microsoft Graph Command Line Tools" client,
asking for the delegated PIM scope and User.Read (no directory role), completing the code in headless
Chromium; then msgraph-sdk posts a selfActivate (or selfDeactivate) assignment schedule request,
its duration a `timedelta` as the SDK writes it. Used by the Swift end-to-end tests:

    .venv/bin/python pim_activate.py --base https://127.0.0.1:8443 --tenant TID --ca ca.pem \
        --username alice@e2e.test --password-file pw.txt --group GID --duration-seconds 60 \
        --justification "incident 42" [--deactivate]

Prints the created request as JSON (id, status, scheduleInfo); exit 1 with the Graph error
on stderr when Graph refuses.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
import msal  # noqa: E402
from azure.core.credentials import AccessToken  # noqa: E402
from kiota_authentication_azure.azure_identity_authentication_provider import (  # noqa: E402
    AzureIdentityAuthenticationProvider,
)
from msgraph import GraphRequestAdapter, GraphServiceClient  # noqa: E402
from msgraph.generated.models.expiration_pattern import ExpirationPattern  # noqa: E402
from msgraph.generated.models.expiration_pattern_type import ExpirationPatternType  # noqa: E402
from msgraph.generated.models.o_data_errors.o_data_error import ODataError  # noqa: E402
from msgraph.generated.models.privileged_access_group_assignment_schedule_request import (  # noqa: E402
    PrivilegedAccessGroupAssignmentScheduleRequest,
)
from msgraph.generated.models.privileged_access_group_relationships import PrivilegedAccessGroupRelationships  # noqa: E402
from msgraph.generated.models.request_schedule import RequestSchedule  # noqa: E402
from msgraph.generated.models.schedule_request_actions import ScheduleRequestActions  # noqa: E402
from msgraph.graph_request_adapter import options as graph_options  # noqa: E402
from msgraph_core import GraphClientFactory  # noqa: E402

from browser import Browser  # noqa: E402

GRAPH_TOOLS = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
PIM_SCOPE = "https://graph.microsoft.com/PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup"


class StaticToken:
    """An azure-core credential handing out the token MSAL obtained."""

    def __init__(self, token: str, expires_on: int):
        self.token = AccessToken(token, expires_on)

    def get_token(self, *scopes, **kwargs):  # noqa: ARG002
        return self.token


def sign_in(args, password: str) -> tuple[str, int]:
    app = msal.PublicClientApplication(GRAPH_TOOLS, authority=f"{args.base}/{args.tenant}", instance_discovery=False,
                                       verify=args.ca)
    flow = app.initiate_device_flow([PIM_SCOPE, "https://graph.microsoft.com/User.Read"])
    assert "user_code" in flow, flow
    result: dict = {}
    poller = threading.Thread(target=lambda: result.update(app.acquire_token_by_device_flow(flow)), daemon=True)
    poller.start()
    browser = Browser(args.name)
    try:
        browser.approve_device_code(flow["verification_uri"], flow["user_code"], args.username, password)
    finally:
        browser.close()
    poller.join(90)
    assert "access_token" in result, result
    return result["access_token"], int(result.get("expires_in", 3600))


async def submit(args, token: str, expires_in: int) -> dict:
    import time
    credential = StaticToken(token, int(time.time()) + expires_in)
    auth = AzureIdentityAuthenticationProvider(credential, scopes=[PIM_SCOPE])
    http = GraphClientFactory.create_with_default_middleware(
        client=httpx.AsyncClient(base_url=f"{args.base}/v1.0", verify=args.ca), options=graph_options)
    adapter = GraphRequestAdapter(auth, client=http)
    adapter.base_url = f"{args.base}/v1.0"
    graph = GraphServiceClient(request_adapter=adapter)
    me = await graph.me.get()
    body = PrivilegedAccessGroupAssignmentScheduleRequest(
        access_id=PrivilegedAccessGroupRelationships.Member,
        principal_id=me.id,
        group_id=args.group,
        action=ScheduleRequestActions.SelfDeactivate if args.deactivate else ScheduleRequestActions.SelfActivate,
        justification=args.justification,
    )
    if not args.deactivate:
        body.schedule_info = RequestSchedule(
            start_date_time=datetime.datetime.now(datetime.timezone.utc),
            expiration=ExpirationPattern(type=ExpirationPatternType.AfterDuration,
                                         duration=datetime.timedelta(seconds=args.duration_seconds)))
    created = await graph.identity_governance.privileged_access.group.assignment_schedule_requests.post(body)
    return {
        "id": created.id,
        "status": created.status,
        "action": created.action.value if created.action else None,
        "targetScheduleId": created.target_schedule_id,
        "startDateTime": created.schedule_info.start_date_time.isoformat() if created.schedule_info else None,
        "duration": str(created.schedule_info.expiration.duration)
        if created.schedule_info and created.schedule_info.expiration else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--duration-seconds", type=int, default=3600)
    parser.add_argument("--justification")
    parser.add_argument("--deactivate", action="store_true")
    parser.add_argument("--name", default="pim-activate")
    args = parser.parse_args()
    # requests lets these variables override a session's `verify`; pin them to kubeid's CA.
    os.environ["REQUESTS_CA_BUNDLE"] = args.ca
    os.environ["SSL_CERT_FILE"] = args.ca
    token, expires_in = sign_in(args, Path(args.password_file).read_text().strip())
    try:
        print(json.dumps(asyncio.run(submit(args, token, expires_in))))
    except ODataError as error:
        print(f"{error.error.code}: {error.error.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
