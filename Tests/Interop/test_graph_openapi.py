"""kubeid's OpenAPI document for its Graph subset, checked by third-party tools.

`GET /v1.0/openapi.json` must be a valid OpenAPI 3.1 document (openapi-spec-validator), and a
short schemathesis run against a live server, with a token that holds every permission the
document names, must find no 5xx, no response that breaks the document's schemas, no
undeclared status code and no undeclared content type. The server is a separate `kubeid serve`
with a high Graph budget, so the run is not throttled and its generated objects stay out of
the other tests' tenants.
"""

from __future__ import annotations

import secrets

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import ARTIFACTS, create_sp, launch_kubeid, stop_kubeid

PERMISSIONS = ("Directory.ReadWrite.All", "User.ReadWrite.All", "Group.ReadWrite.All", "GroupMember.ReadWrite.All",
               "Application.ReadWrite.All", "AuditLog.Read.All", "RoleManagement.ReadWrite.Directory",
               "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup", "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
               "RoleManagementPolicy.ReadWrite.AzureADGroup")
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
EXAMPLES_PER_OPERATION = 12


@pytest.fixture(scope="module")
def graph_server(tmp_path_factory):
    server = launch_kubeid(tmp_path_factory.mktemp("openapi-data"), ARTIFACTS / "kubeid-openapi.log",
                           ("--graph-rate-limit", "1000000"))
    try:
        tenant = server.cli("tenant", "create", "--name", "openapi")
        sp = create_sp(server, "openapi", "schemathesis")
        server.cli("sp", "permission", "grant", "--tenant", "openapi", "--id", sp.app_id, "--permission", *PERMISSIONS)
        seeded = _seed(server, tenant["id"], sp)
        token = requests.post(f"{server.base}/{tenant['id']}/oauth2/v2.0/token", verify=server.ca, timeout=30, data={
            "grant_type": "client_credentials", "client_id": sp.app_id, "client_secret": sp.password,
            "scope": "https://graph.microsoft.com/.default"})
        assert token.status_code == 200, token.text
        yield server, token.json()["access_token"], seeded
    finally:
        assert stop_kubeid(server) == 0, server.log_tail()


def _seed(server, tenant_id: str, sp) -> dict[str, str]:
    """A small directory, so collections are not empty and every entity shape is exercised:
    a user, a group holding the user, the service principal and a nested group, and a sign-in."""
    user = server.cli("user", "create", "--tenant", "openapi", "--user-principal-name", "ada@openapi.test",
                      "--display-name", "Ada", "--password-stdin", input="Pw-" + secrets.token_urlsafe(12) + "\n")
    outer = server.cli("group", "create", "--tenant", "openapi", "--display-name", "outer")
    inner = server.cli("group", "create", "--tenant", "openapi", "--display-name", "inner")
    for group, member in ((outer, inner["id"]), (inner, user["id"]), (inner, sp.object_id)):
        server.cli("group", "member", "add", "--tenant", "openapi", "--group", group["id"], "--member-id", member)
    # PIM: the user is eligible for the outer group and holds an active assignment to it.
    eligible = server.cli("pim", "eligible", "add", "--tenant", "openapi", "--group", outer["id"], "--principal", user["id"])
    active = server.cli("pim", "assign", "--tenant", "openapi", "--group", outer["id"], "--principal", user["id"],
                        "--duration", "PT1H", "--justification", "schemathesis")
    return {"user": user["id"], "group": inner["id"], "servicePrincipal": sp.object_id, "appId": sp.app_id,
            "pimGroup": outer["id"], "eligibilityRequest": eligible["id"], "eligibilitySchedule": eligible["targetScheduleId"],
            "assignmentRequest": active["id"], "assignmentSchedule": active["targetScheduleId"]}


def _real_ids(path: str, seeded: dict[str, str], ids: dict[str, str]) -> tuple[dict[str, str], dict[str, str]] | None:
    """Path and query parameters naming real objects for a GET of `path`; None to skip it."""
    pim = "/identityGovernance/privilegedAccess/group/"
    if path.startswith(pim):
        kind = "assignment" if path[len(pim):].startswith("assignment") else "eligibility"
        if "/assignmentApprovals/" in path:
            # Nothing awaits approval; the caller's own (empty) list still has to be a valid answer.
            return ({"id": "filterByCurrentUser(on='approver')"}, {}) if path.endswith("{id}") else None
        if "{id}" not in path:
            return {}, {}
        return {"id": seeded[f"{kind}Request" if "ScheduleRequests" in path else f"{kind}Schedule"]}, {}
    if path == "/policies/roleManagementPolicyAssignments":
        return {}, {"$filter": f"scopeId eq '{seeded['pimGroup']}' and scopeType eq 'Group'",
                    "$expand": "policy($expand=rules)"}
    if path.startswith("/policies/roleManagementPolicies/"):
        return {"id": f"Group_{seeded['pimGroup']}_member", "ruleId": "Expiration_EndUser_Assignment"}, {}
    parameters = {}
    if "{appId}" in path:
        parameters["appId"] = seeded["appId"]
    if "{id}" in path:
        parameters["id"] = next(value for prefix, value in ids.items() if path.startswith(prefix))
    return parameters, {}


def _document(server) -> dict:
    r = requests.get(f"{server.base}/v1.0/openapi.json", verify=server.ca, timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def test_the_document_is_valid_openapi_3_1(graph_server):
    server, _, _ = graph_server
    document = _document(server)
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": f"{server.base}/v1.0"}]
    assert {"/users", "/groups/{id}/members/$ref", "/auditLogs/signIns"} <= set(document["paths"])


def test_schemathesis_finds_no_server_error_and_no_schema_violation(graph_server):
    server, token, seeded = graph_server
    schema = schemathesis.openapi.from_dict(_document(server))
    schema.config.update(base_url=f"{server.base}/v1.0")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @hypothesis.settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                             phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @hypothesis.given(case=operation.as_strategy())
        def exercise(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS, verify=server.ca,
                                   timeout=30)

        try:
            exercise()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001: every failure is collected, then reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:1500]}")
    assert operations >= 40, operations

    # Generated ids rarely name a real object, so every read also runs once with real ones.
    def graph(path: str) -> dict:
        r = requests.get(f"{server.base}/v1.0{path}", headers={"Authorization": f"Bearer {token}"}, verify=server.ca,
                         timeout=30)
        assert r.status_code == 200, (path, r.text)
        return r.json()

    signins = graph("/auditLogs/signIns")["value"]
    application = graph(f"/applications(appId='{seeded['appId']}')")
    assert signins, "the token request above is in the sign-in log"
    ids = {"/users/": seeded["user"], "/groups/": seeded["group"], "/servicePrincipals/": seeded["servicePrincipal"],
           "/applications/": application["id"], "/auditLogs/signIns/": signins[0]["id"]}
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET" or operation.path == "/me":  # /me needs a delegated token
            continue
        real = _real_ids(operation.path, seeded, ids)
        if real is None:
            continue
        parameters, query = real
        case = operation.Case(path_parameters=parameters, query=query or None, headers={"Authorization": f"Bearer {token}"})
        try:
            response = case.call_and_validate(checks=CHECKS, verify=server.ca, timeout=30)
            assert response.status_code == 200, (operation.path, response.status_code, response.text[:500])
            checked += 1
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001
            failures.append(f"GET {operation.path} with real ids: {str(error)[:1500]}")
    assert checked >= 35 or failures, checked
    assert not failures, "\n\n".join(failures)
    # The server is still healthy after the run (no crash, no stuck worker).
    assert requests.get(f"{server.base}/healthz", verify=server.ca, timeout=10).status_code == 200
