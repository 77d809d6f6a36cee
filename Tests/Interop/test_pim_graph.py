"""PIM for groups through Microsoft's Graph SDK: msgraph-sdk (kiota) against kubeid's
`/v1.0/identityGovernance/privilegedAccess/group/…` and `/v1.0/policies/roleManagement…`.

A separate `kubeid serve` (its own data directory and log) holds one tenant. An administrator
is a service principal granted PIM's application permissions with `kubeid sp permission grant`
and signs in through azure-identity's ClientSecretCredential; people sign in once per module with
MSAL's device flow as the "Microsoft Graph Command Line Tools" client (headless Chromium, TOTP for
the approver), asking for the delegated PIM scope, and call Graph with that token. Checked:

- eligibility by an administrator (adminAssign with afterDuration and noExpiration, the
  schedules and instances listing it, adminRemove ending it);
- a group's policy as Graph's rules (the required `$filter`, `$expand=policy($expand=rules)`,
  PATCH of the activation maximum and the enablement rule, read back through the SDK and
  `kubeid pim policy show`);
- refusals as Graph errors with their codes, from an app (admin limits, malformed bodies) and
  from a person (not eligible, over the maximum, no justification, no MFA, already active),
  around a real activation, its `filterByCurrentUser(on='principal')` lists and deactivation;
- approval (the approver's `filterByCurrentUser(on='approver')`, the stage PATCH, membership
  afterwards) and cancellation of a pending request;
- `auditLogs/directoryAudits` listing every action above as "Privileged Identity Management".

Raw `requests` calls are used only for bodies the SDK cannot write (an unknown enum value, a
malformed duration).
"""

from __future__ import annotations

import asyncio
import datetime
import secrets
import threading
import time
from dataclasses import dataclass

import httpx
import msal
import pytest
import requests
from azure.identity import ClientSecretCredential
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_authentication_azure.azure_identity_authentication_provider import AzureIdentityAuthenticationProvider
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.approval_stage import ApprovalStage
from msgraph.generated.models.expiration_pattern import ExpirationPattern
from msgraph.generated.models.expiration_pattern_type import ExpirationPatternType
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.patterned_recurrence import PatternedRecurrence
from msgraph.generated.models.privileged_access_group_assignment_schedule_request import (
    PrivilegedAccessGroupAssignmentScheduleRequest,
)
from msgraph.generated.models.privileged_access_group_assignment_type import PrivilegedAccessGroupAssignmentType
from msgraph.generated.models.privileged_access_group_eligibility_schedule_request import (
    PrivilegedAccessGroupEligibilityScheduleRequest,
)
from msgraph.generated.models.privileged_access_group_member_type import PrivilegedAccessGroupMemberType
from msgraph.generated.models.privileged_access_group_relationships import PrivilegedAccessGroupRelationships
from msgraph.generated.models.recurrence_pattern import RecurrencePattern
from msgraph.generated.models.recurrence_pattern_type import RecurrencePatternType
from msgraph.generated.models.recurrence_range import RecurrenceRange
from msgraph.generated.models.recurrence_range_type import RecurrenceRangeType
from msgraph.generated.models.request_schedule import RequestSchedule
from msgraph.generated.models.schedule_request_actions import ScheduleRequestActions
from msgraph.generated.models.single_user import SingleUser
from msgraph.generated.models.unified_role_management_policy_approval_rule import (
    UnifiedRoleManagementPolicyApprovalRule,
)
from msgraph.generated.models.unified_role_management_policy_enablement_rule import (
    UnifiedRoleManagementPolicyEnablementRule,
)
from msgraph.generated.models.unified_role_management_policy_expiration_rule import (
    UnifiedRoleManagementPolicyExpirationRule,
)
from msgraph.generated.models.unified_role_management_policy_rule_target import UnifiedRoleManagementPolicyRuleTarget
from msgraph.generated.models.unified_role_management_policy_rule_target_operations import (
    UnifiedRoleManagementPolicyRuleTargetOperations,
)
from msgraph.generated.policies.role_management_policy_assignments.role_management_policy_assignments_request_builder import (  # noqa: E501
    RoleManagementPolicyAssignmentsRequestBuilder,
)
from msgraph.graph_request_adapter import options as graph_options
from msgraph_core import GraphClientFactory

from browser import Browser
from conftest import ARTIFACTS, KubeID, ServicePrincipal, create_sp, jwt_claims_unverified, launch_kubeid, stop_kubeid
from pim_activate import GRAPH_TOOLS, PIM_SCOPE, StaticToken

TENANT = "pimgraph"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
PERMISSIONS = ("PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup", "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
               "RoleManagementPolicy.ReadWrite.AzureADGroup", "GroupMember.Read.All", "AuditLog.Read.All")
PIM_SERVICE = "Privileged Identity Management"
MEMBER = PrivilegedAccessGroupRelationships.Member
RULES = {"Expiration_EndUser_Assignment", "Enablement_EndUser_Assignment", "Approval_EndUser_Assignment",
         "Expiration_Admin_Eligibility", "Expiration_Admin_Assignment"}

# (request id, activityDisplayName, initiator object id) of every action the tests carried out:
# test_directory_audits_record_every_action checks that the audit trail has each of them.
AUDITED: list[tuple[str, str, str]] = []


# --------------------------------------------------------------------------- the server and its people


@dataclass
class Person:
    upn: str
    password: str
    id: str
    otpauth: str | None = None
    token: str | None = None


@dataclass
class PIMServer:
    server: KubeID
    tenant_id: str
    admin: ServicePrincipal
    credential: ClientSecretCredential

    def group(self, name: str) -> str:
        return self.server.cli("group", "create", "--tenant", TENANT, "--display-name", name)["id"]

    def person(self, name: str, mfa: bool = False) -> Person:
        upn = f"{name}.{secrets.token_hex(2)}@{TENANT}.test"
        password = "Pw-" + secrets.token_urlsafe(12)
        user = self.server.cli("user", "create", "--tenant", TENANT, "--user-principal-name", upn,
                               "--display-name", name.title(), "--password-stdin", input=password + "\n")
        person = Person(upn=upn, password=password, id=user["id"])
        if mfa:
            person.otpauth = self.server.cli("user", "mfa", "enable", "--tenant", TENANT, "--id", upn)["otpauthUri"]
        return person

    def cli(self, *args: str):
        return self.server.cli(*args)

    def client(self, credential, scopes: list[str]) -> GraphServiceClient:
        auth = AzureIdentityAuthenticationProvider(credential, scopes=scopes)
        http = GraphClientFactory.create_with_default_middleware(
            client=httpx.AsyncClient(base_url=f"{self.server.base}/v1.0", verify=self.server.ca), options=graph_options)
        adapter = GraphRequestAdapter(auth, client=http)
        adapter.base_url = f"{self.server.base}/v1.0"
        return GraphServiceClient(request_adapter=adapter)

    def app_graph(self) -> GraphServiceClient:
        """The administrator: the SDK's documented construction, kubeid as authority and Graph host."""
        return self.client(self.credential, [GRAPH_SCOPE])

    def user_graph(self, person: Person) -> GraphServiceClient:
        """A person's delegated token (from the device flow) behind an azure-core credential."""
        return self.client(StaticToken(person.token, int(time.time()) + 3000), [PIM_SCOPE])

    def raw(self, method: str, path: str, token: str | None = None, **kw) -> requests.Response:
        """A request the SDK cannot write; the administrator's token unless one is given."""
        token = token or self.credential.get_token(GRAPH_SCOPE).token
        return requests.request(method, f"{self.server.base}/v1.0{path}", verify=self.server.ca, timeout=30,
                                headers={"Authorization": f"Bearer {token}"}, **kw)


@pytest.fixture(scope="module")
def pim(tmp_path_factory) -> PIMServer:
    server = launch_kubeid(tmp_path_factory.mktemp("pim-graph-data"), ARTIFACTS / "kubeid-pim-graph.log")
    try:
        tenant = server.cli("tenant", "create", "--name", TENANT)
        admin = create_sp(server, TENANT, "pim-admin")
        granted = server.cli("sp", "permission", "grant", "--tenant", TENANT, "--id", admin.app_id,
                             "--permission", *PERMISSIONS)
        assert sorted(g["permission"] for g in granted) == sorted(PERMISSIONS), granted
        credential = ClientSecretCredential(tenant["id"], admin.app_id, admin.password, authority=server.base,
                                            disable_instance_discovery=True, connection_verify=server.ca)
        yield PIMServer(server=server, tenant_id=tenant["id"], admin=admin, credential=credential)
    finally:
        assert stop_kubeid(server) == 0, server.log_tail()


def sign_in(pim: PIMServer, person: Person, label: str) -> str:
    """MSAL's device flow as the Graph Command Line Tools, the code completed in Chromium."""
    app = msal.PublicClientApplication(GRAPH_TOOLS, authority=f"{pim.server.base}/{pim.tenant_id}",
                                       instance_discovery=False, verify=pim.server.ca)
    flow = app.initiate_device_flow([PIM_SCOPE, "https://graph.microsoft.com/User.Read"])
    assert "user_code" in flow, flow
    result: dict = {}
    poller = threading.Thread(target=lambda: result.update(app.acquire_token_by_device_flow(flow)), daemon=True)
    poller.start()
    browser = Browser(label)
    try:
        browser.approve_device_code(flow["verification_uri"], flow["user_code"], person.upn, person.password,
                                    person.otpauth)
    finally:
        browser.close()
    poller.join(90)
    assert "access_token" in result, result
    return result["access_token"]


@pytest.fixture(scope="module")
def alice(pim) -> Person:
    """Eligible for the groups below; signed in with a password only (no `mfa` in `amr`)."""
    person = pim.person("alice")
    person.token = sign_in(pim, person, "pim-graph-alice")
    return person


@pytest.fixture(scope="module")
def bob(pim) -> Person:
    """The approver, enrolled in TOTP: his token carries `mfa`."""
    person = pim.person("bob", mfa=True)
    person.token = sign_in(pim, person, "pim-graph-bob")
    return person


# --------------------------------------------------------------------------- bodies and checks


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def schedule(duration: datetime.timedelta | None = None, start: datetime.datetime | None = None,
             permanent: bool = False) -> RequestSchedule:
    if permanent:
        expiration = ExpirationPattern(type=ExpirationPatternType.NoExpiration)
    else:
        expiration = ExpirationPattern(type=ExpirationPatternType.AfterDuration, duration=duration)
    return RequestSchedule(start_date_time=start or now(), expiration=expiration)


def eligibility(action: ScheduleRequestActions, group: str, principal: str,
                **kw) -> PrivilegedAccessGroupEligibilityScheduleRequest:
    return PrivilegedAccessGroupEligibilityScheduleRequest(access_id=MEMBER, action=action, group_id=group,
                                                           principal_id=principal, **kw)


def assignment(action: ScheduleRequestActions, group: str, principal: str,
               **kw) -> PrivilegedAccessGroupAssignmentScheduleRequest:
    return PrivilegedAccessGroupAssignmentScheduleRequest(access_id=MEMBER, action=action, group_id=group,
                                                          principal_id=principal, **kw)


def activation(group: str, person: Person, hours: float = 1, justification: str | None = "INC-4711: rotate keys",
               **kw) -> PrivilegedAccessGroupAssignmentScheduleRequest:
    return assignment(ScheduleRequestActions.SelfActivate, group, person.id, justification=justification,
                      schedule_info=schedule(datetime.timedelta(hours=hours)), **kw)


async def refused(call, status: int, code: str, text: str) -> ODataError:
    """The SDK raises ODataError with Graph's status, code and a message containing `text`."""
    with pytest.raises(ODataError) as caught:
        await call
    error = caught.value
    assert (error.response_status_code, error.error.code) == (status, code), \
        (error.response_status_code, error.error.code, error.error.message)
    assert text in error.error.message, error.error.message
    return error


def raw_refused(response: requests.Response, status: int, code: str, text: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and text in error["message"], error


async def members(graph: GraphServiceClient, group: str) -> set[str]:
    return {m.id for m in (await graph.groups.by_group_id(group).members.get()).value}


def close_to(actual: datetime.datetime, expected: datetime.datetime, slack: float = 120) -> bool:
    return abs((actual - expected).total_seconds()) < slack


# --------------------------------------------------------------------------- 1. eligibility


def test_an_administrator_makes_people_eligible_and_removes_them(pim):
    group = pim.group("pim-eligible-oncall")
    dana, erin = pim.person("dana"), pim.person("erin")

    async def scenario():
        graph = pim.app_graph()
        pim_group = graph.identity_governance.privileged_access.group
        started = now()
        timed = await pim_group.eligibility_schedule_requests.post(eligibility(
            ScheduleRequestActions.AdminAssign, group, dana.id, justification="on-call rota",
            schedule_info=schedule(datetime.timedelta(days=30))))
        assert timed.status == "Provisioned", timed
        assert timed.action == ScheduleRequestActions.AdminAssign and timed.access_id == MEMBER
        assert timed.target_schedule_id == f"{group}_member_{timed.id}", timed.target_schedule_id
        assert timed.schedule_info.expiration.type == ExpirationPatternType.AfterDuration
        assert timed.schedule_info.expiration.duration == datetime.timedelta(days=30)
        assert timed.justification == "on-call rota"
        assert timed.created_by.application.id == pim.admin.object_id, timed.created_by
        permanent = await pim_group.eligibility_schedule_requests.post(eligibility(
            ScheduleRequestActions.AdminAssign, group, erin.id, schedule_info=schedule(permanent=True)))
        assert permanent.status == "Provisioned" and permanent.target_schedule_id, permanent
        AUDITED.extend([(timed.id, "Add eligible member to group in PIM completed", pim.admin.object_id),
                        (permanent.id, "Add eligible member to group in PIM completed", pim.admin.object_id)])

        schedules = {s.id: s for s in (await pim_group.eligibility_schedules.get()).value if s.group_id == group}
        assert set(schedules) == {timed.target_schedule_id, permanent.target_schedule_id}, schedules
        dana_schedule = schedules[timed.target_schedule_id]
        assert (dana_schedule.principal_id, dana_schedule.access_id, dana_schedule.member_type) == \
            (dana.id, MEMBER, PrivilegedAccessGroupMemberType.Direct)
        assert dana_schedule.created_using == timed.id
        assert close_to(dana_schedule.schedule_info.expiration.end_date_time, started + datetime.timedelta(days=30))
        erin_schedule = schedules[permanent.target_schedule_id]
        assert erin_schedule.principal_id == erin.id
        assert erin_schedule.schedule_info.expiration.type == ExpirationPatternType.NoExpiration
        assert erin_schedule.schedule_info.expiration.end_date_time is None

        instances = {i.id: i for i in (await pim_group.eligibility_schedule_instances.get()).value if i.group_id == group}
        assert set(instances) == set(schedules), instances
        assert instances[timed.target_schedule_id].eligibility_schedule_id == timed.target_schedule_id
        assert close_to(instances[timed.target_schedule_id].end_date_time, started + datetime.timedelta(days=30))
        assert instances[permanent.target_schedule_id].end_date_time is None
        one = await pim_group.eligibility_schedules.by_privileged_access_group_eligibility_schedule_id(
            timed.target_schedule_id).get()
        assert one.principal_id == dana.id

        await refused(pim_group.eligibility_schedule_requests.post(eligibility(
            ScheduleRequestActions.AdminAssign, group, dana.id, schedule_info=schedule(datetime.timedelta(days=1)))),
            400, "RoleAssignmentExists", "already has this access")

        removed = await pim_group.eligibility_schedule_requests.post(
            eligibility(ScheduleRequestActions.AdminRemove, group, dana.id))
        assert removed.status == "Revoked", removed
        assert removed.target_schedule_id == timed.target_schedule_id
        AUDITED.append((removed.id, "Remove eligible member from group in PIM completed", pim.admin.object_id))
        stored = await pim_group.eligibility_schedule_requests.by_privileged_access_group_eligibility_schedule_request_id(
            removed.id).get()
        assert stored.status == "Revoked" and stored.action == ScheduleRequestActions.AdminRemove

        left = {s.id for s in (await pim_group.eligibility_schedules.get()).value if s.group_id == group}
        assert left == {permanent.target_schedule_id}, left
        left = {i.id for i in (await pim_group.eligibility_schedule_instances.get()).value if i.group_id == group}
        assert left == {permanent.target_schedule_id}, left
        await refused(pim_group.eligibility_schedules.by_privileged_access_group_eligibility_schedule_id(
            timed.target_schedule_id).get(), 404, "Request_ResourceNotFound", "")
        await refused(pim_group.eligibility_schedule_requests.post(
            eligibility(ScheduleRequestActions.AdminRemove, group, dana.id)),
            400, "RoleAssignmentDoesNotExist", "no eligible assignment")

    asyncio.run(scenario())
    # The command line reads the same store.
    listed = pim.cli("pim", "eligible", "list", "--tenant", TENANT, "--group", group)
    assert [e["principalId"] for e in listed] == [erin.id], listed


# --------------------------------------------------------------------------- 2. policy


def test_the_policy_as_graph_rules_patched_through_the_sdk(pim):
    group = pim.group("pim-policy")
    reader = create_sp(pim.server, TENANT, "pim-policy-reader")
    pim.server.cli("sp", "permission", "grant", "--tenant", TENANT, "--id", reader.app_id,
                   "--permission", "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup")
    member_policy = f"Group_{group}_member"

    async def scenario():
        graph = pim.app_graph()
        config = RequestConfiguration(query_parameters=RoleManagementPolicyAssignmentsRequestBuilder
                                      .RoleManagementPolicyAssignmentsRequestBuilderGetQueryParameters(
                                          filter=f"scopeId eq '{group}' and scopeType eq 'Group'",
                                          expand=["policy($expand=rules)"]))
        assignments = (await graph.policies.role_management_policy_assignments.get(request_configuration=config)).value
        by_access = {a.role_definition_id: a for a in assignments}
        assert set(by_access) == {"member", "owner"}, assignments
        member = by_access["member"]
        assert (member.policy_id, member.scope_id, member.scope_type) == (member_policy, group, "Group")
        rules = {rule.id: rule for rule in member.policy.rules}
        assert set(rules) == RULES, rules
        activation_rule = rules["Expiration_EndUser_Assignment"]
        assert isinstance(activation_rule, UnifiedRoleManagementPolicyExpirationRule), activation_rule
        assert activation_rule.maximum_duration == datetime.timedelta(hours=8)  # Entra's default
        assert isinstance(rules["Enablement_EndUser_Assignment"], UnifiedRoleManagementPolicyEnablementRule)
        assert rules["Enablement_EndUser_Assignment"].enabled_rules == ["Justification"]
        assert isinstance(rules["Approval_EndUser_Assignment"], UnifiedRoleManagementPolicyApprovalRule)
        assert rules["Approval_EndUser_Assignment"].setting.is_approval_required is False
        assert rules["Expiration_Admin_Eligibility"].maximum_duration == datetime.timedelta(days=365)

        # Graph requires the filter to name the group and the scope type.
        await refused(graph.policies.role_management_policy_assignments.get(), 400, "Request_BadRequest",
                      "requires the $filter")
        only_scope = RequestConfiguration(query_parameters=RoleManagementPolicyAssignmentsRequestBuilder
                                          .RoleManagementPolicyAssignmentsRequestBuilderGetQueryParameters(
                                              filter=f"scopeId eq '{group}'"))
        await refused(graph.policies.role_management_policy_assignments.get(request_configuration=only_scope),
                      400, "Request_BadRequest", "scopeType eq 'Group'")

        rules_api = graph.policies.role_management_policies.by_unified_role_management_policy_id(member_policy).rules
        expiration = rules_api.by_unified_role_management_policy_rule_id("Expiration_EndUser_Assignment")
        await expiration.patch(UnifiedRoleManagementPolicyExpirationRule(
            id="Expiration_EndUser_Assignment", is_expiration_required=True, maximum_duration=datetime.timedelta(hours=2),
            target=UnifiedRoleManagementPolicyRuleTarget(caller="EndUser", level="Assignment",
                                                         operations=[UnifiedRoleManagementPolicyRuleTargetOperations.All])))
        read = await expiration.get()
        assert isinstance(read, UnifiedRoleManagementPolicyExpirationRule) and read.maximum_duration == datetime.timedelta(hours=2)
        enablement = rules_api.by_unified_role_management_policy_rule_id("Enablement_EndUser_Assignment")
        await enablement.patch(UnifiedRoleManagementPolicyEnablementRule(
            id="Enablement_EndUser_Assignment", enabled_rules=["MultiFactorAuthentication", "Justification"]))
        assert (await enablement.get()).enabled_rules == ["Justification", "MultiFactorAuthentication"]

        # The owner policy is a separate policy: unchanged.
        owner = await graph.policies.role_management_policies.by_unified_role_management_policy_id(
            f"Group_{group}_owner").rules.by_unified_role_management_policy_rule_id("Expiration_EndUser_Assignment").get()
        assert owner.maximum_duration == datetime.timedelta(hours=8)

        # Values the server cannot keep are refused, not dropped.
        await refused(expiration.patch(UnifiedRoleManagementPolicyExpirationRule(
            id="Expiration_EndUser_Assignment", maximum_duration=datetime.timedelta(0))),
            400, "Request_BadRequest", "maximumDuration")
        await refused(enablement.patch(UnifiedRoleManagementPolicyEnablementRule(
            id="Enablement_EndUser_Assignment", enabled_rules=["Telepathy"])), 400, "Request_BadRequest", "Telepathy")
        await refused(rules_api.by_unified_role_management_policy_rule_id("Notification_Admin_Admin_Eligibility").patch(
            UnifiedRoleManagementPolicyExpirationRule(maximum_duration=datetime.timedelta(hours=1))),
            400, "Request_BadRequest", "does not support the policy rule")
        assert (await expiration.get()).maximum_duration == datetime.timedelta(hours=2)

        # A principal that may read policies but not write them.
        credential = ClientSecretCredential(pim.tenant_id, reader.app_id, reader.password, authority=pim.server.base,
                                            disable_instance_discovery=True, connection_verify=pim.server.ca)
        readonly = pim.client(credential, [GRAPH_SCOPE]).policies.role_management_policies \
            .by_unified_role_management_policy_id(member_policy).rules
        assert (await readonly.by_unified_role_management_policy_rule_id("Expiration_EndUser_Assignment").get()) \
            .maximum_duration == datetime.timedelta(hours=2)
        await refused(readonly.by_unified_role_management_policy_rule_id("Expiration_EndUser_Assignment").patch(
            UnifiedRoleManagementPolicyExpirationRule(maximum_duration=datetime.timedelta(hours=6))),
            403, "Authorization_RequestDenied", "")

    asyncio.run(scenario())

    shown = {rule["id"]: rule for rule in pim.cli("pim", "policy", "show", "--tenant", TENANT, "--group", group)["rules"]}
    assert shown["Expiration_EndUser_Assignment"]["maximumDuration"] == "PT2H", shown
    assert shown["Enablement_EndUser_Assignment"]["enabledRules"] == ["Justification", "MultiFactorAuthentication"], shown

    # And the other way round: a change from the command line is what the SDK reads.
    pim.cli("pim", "policy", "update", "--tenant", TENANT, "--group", group, "--max-duration", "90m",
            "--no-require-mfa")

    async def read_back():
        rules = pim.app_graph().policies.role_management_policies.by_unified_role_management_policy_id(member_policy).rules
        return ((await rules.by_unified_role_management_policy_rule_id("Expiration_EndUser_Assignment").get()).maximum_duration,
                (await rules.by_unified_role_management_policy_rule_id("Enablement_EndUser_Assignment").get()).enabled_rules)

    assert asyncio.run(read_back()) == (datetime.timedelta(minutes=90), ["Justification"])


# --------------------------------------------------------------------------- 3. refusals


def test_refusals_an_application_meets(pim):
    group = pim.group("pim-refusals")
    frank = pim.person("frank")
    pim.cli("pim", "policy", "update", "--tenant", TENANT, "--group", group, "--max-assignment", "PT4H")

    async def scenario():
        graph = pim.app_graph()
        api = graph.identity_governance.privileged_access.group.assignment_schedule_requests

        def admin_assign(**kw):
            return api.post(assignment(ScheduleRequestActions.AdminAssign, group, frank.id, **kw))

        error = await refused(admin_assign(schedule_info=schedule(datetime.timedelta(hours=5))),
                              400, "RoleAssignmentRequestPolicyValidationFailed",
                              'The following policy rules failed: ["ExpirationRule"]')
        assert "PT5H" in error.error.message and "PT4H" in error.error.message, error.error.message
        await refused(admin_assign(schedule_info=schedule(datetime.timedelta(hours=1),
                                                          start=now() - datetime.timedelta(days=1))),
                      400, "InvalidScheduleRequest", "in the past")
        recurring = schedule(datetime.timedelta(hours=1))
        recurring.recurrence = PatternedRecurrence(
            pattern=RecurrencePattern(type=RecurrencePatternType.Daily, interval=1),
            range=RecurrenceRange(type=RecurrenceRangeType.NoEnd, start_date=datetime.date.today()))
        await refused(admin_assign(schedule_info=recurring), 400, "InvalidScheduleRequest", "Recurring schedules")
        await refused(admin_assign(schedule_info=schedule(datetime.timedelta(seconds=30))),
                      400, "InvalidScheduleRequest", "one minute")
        await refused(admin_assign(schedule_info=schedule(datetime.timedelta(hours=1)), additional_data={"priority": "high"}),
                      400, "Request_BadRequest", "Property 'priority' is not supported")
        # A self-service action needs the person's own token.
        await refused(api.post(assignment(ScheduleRequestActions.SelfActivate, group, frank.id, justification="x",
                                          schedule_info=schedule(datetime.timedelta(hours=1)))),
                      403, "Authorization_RequestDenied", "can only be requested by a user for themselves")
        await refused(api.post(assignment(ScheduleRequestActions.AdminAssign, "00000000-0000-0000-0000-00000000beef",
                                          frank.id, schedule_info=schedule(datetime.timedelta(hours=1)))),
                      404, "Request_ResourceNotFound", "No group")

        # Within the limit it is granted: an active assignment, so frank is a member now.
        granted = await admin_assign(schedule_info=schedule(datetime.timedelta(hours=3)))
        assert granted.status == "Provisioned", granted
        AUDITED.append((granted.id, "Add member to group in PIM completed", pim.admin.object_id))
        schedules = [s for s in (await graph.identity_governance.privileged_access.group.assignment_schedules.get()).value
                     if s.group_id == group]
        assert [(s.id, s.principal_id, s.assignment_type) for s in schedules] == \
            [(granted.target_schedule_id, frank.id, PrivilegedAccessGroupAssignmentType.Assigned)], schedules
        assert frank.id in await members(graph, group)
        await refused(admin_assign(schedule_info=schedule(datetime.timedelta(hours=1))),
                      400, "RoleAssignmentExists", "already has this access")
        removed = await api.post(assignment(ScheduleRequestActions.AdminRemove, group, frank.id))
        assert removed.status == "Revoked" and removed.target_schedule_id == granted.target_schedule_id, removed
        AUDITED.append((removed.id, "Remove member from group in PIM completed", pim.admin.object_id))
        assert frank.id not in await members(graph, group)

    asyncio.run(scenario())

    # Bodies the SDK cannot write: an action outside the enum, a duration that is not one.
    path = "/identityGovernance/privilegedAccess/group/assignmentScheduleRequests"
    body = {"accessId": "member", "groupId": group, "principalId": frank.id,
            "scheduleInfo": {"startDateTime": now().isoformat(), "expiration": {"type": "afterDuration", "duration": "PT1H"}}}
    raw_refused(pim.raw("POST", path, json=dict(body, action="adminTeleport")),
                400, "Request_BadRequest", "Property 'action' has an unknown value 'adminTeleport'")
    malformed = dict(body, action="adminAssign",
                     scheduleInfo={"expiration": {"type": "afterDuration", "duration": "two hours"}})
    raw_refused(pim.raw("POST", path, json=malformed), 400, "Request_BadRequest", "must be an ISO 8601 duration")
    raw_refused(pim.raw("POST", path, json=dict(body, action="adminAssign", accessId="janitor")),
                400, "Request_BadRequest", "'accessId' must be 'member' or 'owner'")
    # Nothing refused left a schedule behind.
    assert [i for i in pim.cli("pim", "list", "--tenant", TENANT, "--group", group)] == []


def test_self_activation_refusals_then_activate_and_deactivate(pim, alice, bob):
    group, mfa_group, elsewhere = pim.group("pim-self"), pim.group("pim-self-mfa"), pim.group("pim-not-eligible")
    for target, person in ((group, alice), (mfa_group, alice), (mfa_group, bob)):
        pim.cli("pim", "eligible", "add", "--tenant", TENANT, "--group", target, "--principal", person.upn)
    pim.cli("pim", "policy", "update", "--tenant", TENANT, "--group", group, "--max-duration", "PT2H",
            "--require-justification")
    pim.cli("pim", "policy", "update", "--tenant", TENANT, "--group", mfa_group, "--require-mfa")
    # The tokens differ only in how the person signed in.
    assert "mfa" not in jwt_claims_unverified(alice.token).get("amr", []), jwt_claims_unverified(alice.token)
    assert "mfa" in jwt_claims_unverified(bob.token).get("amr", []), jwt_claims_unverified(bob.token)

    async def scenario():
        graph, admin = pim.user_graph(alice), pim.app_graph()
        pim_group = graph.identity_governance.privileged_access.group
        api = pim_group.assignment_schedule_requests
        assert (await graph.me.get()).id == alice.id

        await refused(api.post(activation(elsewhere, alice)), 400, "RoleAssignmentDoesNotExist",
                      f"no eligible member assignment for group {elsewhere}")
        error = await refused(api.post(activation(group, alice, hours=3)), 400,
                              "RoleAssignmentRequestPolicyValidationFailed", '["ExpirationRule"]')
        assert "PT3H" in error.error.message and "PT2H" in error.error.message, error.error.message
        await refused(api.post(activation(group, alice, justification=None)), 400,
                      "RoleAssignmentRequestPolicyValidationFailed", '["JustificationRule"]')
        await refused(api.post(activation(mfa_group, alice)), 400,
                      "RoleAssignmentRequestPolicyValidationFailed", '["MfaRule"]')
        await refused(api.post(activation(group, bob)), 403, "Authorization_RequestDenied", "for themselves")
        await refused(api.post(assignment(ScheduleRequestActions.AdminAssign, group, alice.id,
                                          schedule_info=schedule(datetime.timedelta(hours=1)))),
                      403, "Authorization_RequestDenied", "Admin actions need")
        assert alice.id not in await members(admin, group)

        started = now()
        activated = await api.post(activation(group, alice, hours=1))
        assert activated.status == "Provisioned", activated
        assert activated.action == ScheduleRequestActions.SelfActivate
        assert activated.schedule_info.expiration.duration == datetime.timedelta(hours=1)
        assert activated.target_schedule_id == f"{group}_member_{activated.id}"
        assert activated.created_by.user.id == alice.id, activated.created_by
        AUDITED.append((activated.id, "Add member to group completed (PIM activation)", alice.id))

        mine = (await api.filter_by_current_user_with_on("principal").get()).value
        assert activated.id in {r.id for r in mine}, mine
        instances = [i for i in (await pim_group.assignment_schedule_instances.filter_by_current_user_with_on(
            "principal").get()).value if i.group_id == group]
        assert len(instances) == 1, instances
        instance = instances[0]
        assert (instance.principal_id, instance.assignment_type, instance.assignment_schedule_id) == \
            (alice.id, PrivilegedAccessGroupAssignmentType.Activated, activated.target_schedule_id)
        assert close_to(instance.start_date_time, started)
        assert instance.end_date_time - instance.start_date_time == datetime.timedelta(hours=1)
        eligible = (await pim_group.eligibility_schedules.filter_by_current_user_with_on("principal").get()).value
        assert {e.group_id for e in eligible} == {group, mfa_group}, eligible
        assert alice.id in await members(admin, group)

        await refused(api.post(activation(group, alice, hours=1)), 400, "RoleAssignmentExists", "already has this access")

        deactivated = await api.post(assignment(ScheduleRequestActions.SelfDeactivate, group, alice.id))
        assert deactivated.status == "Revoked", deactivated
        assert deactivated.target_schedule_id == activated.target_schedule_id
        AUDITED.append((deactivated.id, "Remove member from group completed (PIM deactivate)", alice.id))
        instances = (await pim_group.assignment_schedule_instances.filter_by_current_user_with_on("principal").get()).value
        assert [i for i in instances if i.group_id == group] == [], instances
        assert alice.id not in await members(admin, group)
        await refused(api.post(assignment(ScheduleRequestActions.SelfDeactivate, group, alice.id)),
                      400, "RoleAssignmentDoesNotExist", "no active assignment")

        # The same MFA policy lets someone whose sign-in carried a second factor through.
        bob_api = pim.user_graph(bob).identity_governance.privileged_access.group.assignment_schedule_requests
        with_mfa = await bob_api.post(activation(mfa_group, bob, hours=0.5))
        assert with_mfa.status == "Provisioned", with_mfa
        assert bob.id in await members(admin, mfa_group)
        ended = await bob_api.post(assignment(ScheduleRequestActions.SelfDeactivate, mfa_group, bob.id))
        assert ended.status == "Revoked"
        AUDITED.extend([(with_mfa.id, "Add member to group completed (PIM activation)", bob.id),
                        (ended.id, "Remove member from group completed (PIM deactivate)", bob.id)])

    asyncio.run(scenario())


# --------------------------------------------------------------------------- 4. approvals


def test_approval_by_the_approver_and_cancel_by_the_requester(pim, alice, bob):
    group, other = pim.group("pim-approval"), pim.group("pim-approval-cancel")
    for target in (group, other):
        pim.cli("pim", "eligible", "add", "--tenant", TENANT, "--group", target, "--principal", alice.upn)
        pim.cli("pim", "policy", "update", "--tenant", TENANT, "--group", target, "--require-approval",
                "--approver", bob.upn)

    async def scenario():
        admin = pim.app_graph()
        alice_pim = pim.user_graph(alice).identity_governance.privileged_access.group
        bob_pim = pim.user_graph(bob).identity_governance.privileged_access.group

        approval_rule = await admin.policies.role_management_policies.by_unified_role_management_policy_id(
            f"Group_{group}_member").rules.by_unified_role_management_policy_rule_id("Approval_EndUser_Assignment").get()
        assert approval_rule.setting.is_approval_required is True
        approvers = approval_rule.setting.approval_stages[0].primary_approvers
        assert [(type(a), a.user_id) for a in approvers] == [(SingleUser, bob.id)], approvers

        pending = await alice_pim.assignment_schedule_requests.post(activation(group, alice, hours=1))
        assert pending.status == "PendingApproval", pending
        assert pending.approval_id == pending.id and pending.target_schedule_id is None, pending
        AUDITED.append((pending.id, "Add member to group requested (PIM activation)", alice.id))
        assert alice.id not in await members(admin, group)

        waiting = (await bob_pim.assignment_approvals.filter_by_current_user_with_on("approver").get()).value
        assert [a.id for a in waiting] == [pending.id], waiting
        stage = waiting[0].stages[0]
        assert (stage.assigned_to_me, stage.review_result, stage.status) == (True, "NotReviewed", "InProgress"), stage
        assert [r.id for r in (await bob_pim.assignment_schedule_requests.filter_by_current_user_with_on(
            "approver").get()).value] == [pending.id]
        # The requester sees the approval but may not decide it.
        assert (await alice_pim.assignment_approvals.by_approval_id(pending.id).get()).stages[0].assigned_to_me is False
        await refused(alice_pim.assignment_approvals.by_approval_id(pending.id).stages.by_approval_stage_id(pending.id)
                      .patch(ApprovalStage(review_result="Approve", justification="me")),
                      403, "Authorization_RequestDenied", "not an approver")

        await bob_pim.assignment_approvals.by_approval_id(pending.id).stages.by_approval_stage_id(stage.id).patch(
            ApprovalStage(review_result="Approve", justification="INC-4711 confirmed"))
        AUDITED.append((pending.id, "Add member to group request approved (PIM activation)", bob.id))
        decided = await alice_pim.assignment_schedule_requests \
            .by_privileged_access_group_assignment_schedule_request_id(pending.id).get()
        assert decided.status in ("Provisioned", "Granted"), decided
        assert decided.target_schedule_id == f"{group}_member_{pending.id}", decided
        reviewed = (await bob_pim.assignment_approvals.by_approval_id(pending.id).stages.get()).value[0]
        assert (reviewed.review_result, reviewed.status, reviewed.reviewed_by.id, reviewed.justification) == \
            ("Approve", "Completed", bob.id, "INC-4711 confirmed"), reviewed
        assert alice.id in await members(admin, group)
        assert (await bob_pim.assignment_approvals.filter_by_current_user_with_on("approver").get()).value == []
        await refused(bob_pim.assignment_approvals.by_approval_id(pending.id).stages.by_approval_stage_id(pending.id)
                      .patch(ApprovalStage(review_result="Deny")), 400, "RequestNotPending", "not pending approval")

        # A second pending request, canceled by the requester before anyone decides.
        second = await alice_pim.assignment_schedule_requests.post(activation(other, alice, hours=1))
        assert second.status == "PendingApproval", second
        AUDITED.append((second.id, "Add member to group requested (PIM activation)", alice.id))
        await refused(alice_pim.assignment_schedule_requests.post(activation(other, alice, hours=1)),
                      400, "PendingRoleAssignmentRequest", "already pending approval")
        item = alice_pim.assignment_schedule_requests.by_privileged_access_group_assignment_schedule_request_id(second.id)
        await item.cancel.post()
        AUDITED.append((second.id, "Add member to group request canceled (PIM activation)", alice.id))
        assert (await item.get()).status == "Canceled"
        await refused(item.cancel.post(), 400, "RequestNotPending", "not pending approval")
        assert (await bob_pim.assignment_approvals.filter_by_current_user_with_on("approver").get()).value == []
        assert alice.id not in await members(admin, other)

        ended = await alice_pim.assignment_schedule_requests.post(
            assignment(ScheduleRequestActions.SelfDeactivate, group, alice.id))
        assert ended.status == "Revoked"
        AUDITED.append((ended.id, "Remove member from group completed (PIM deactivate)", alice.id))

    asyncio.run(scenario())


# --------------------------------------------------------------------------- 5. audit


def test_directory_audits_record_every_action(pim):
    group, gina = pim.group("pim-audited"), pim.person("gina")

    async def scenario():
        graph = pim.app_graph()
        api = graph.identity_governance.privileged_access.group.eligibility_schedule_requests
        added = await api.post(eligibility(ScheduleRequestActions.AdminAssign, group, gina.id,
                                           justification="audit me", schedule_info=schedule(datetime.timedelta(days=1))))
        removed = await api.post(eligibility(ScheduleRequestActions.AdminRemove, group, gina.id))
        AUDITED.extend([(added.id, "Add eligible member to group in PIM completed", pim.admin.object_id),
                        (removed.id, "Remove eligible member from group in PIM completed", pim.admin.object_id)])
        return (await graph.audit_logs.directory_audits.get()).value

    audits = asyncio.run(scenario())
    by_request: dict[tuple[str, str], object] = {}
    for audit in audits:
        if audit.logged_by_service != PIM_SERVICE:
            continue
        details = {d.key: d.value for d in audit.additional_details}
        if "requestId" in details:
            by_request[(details["requestId"], audit.activity_display_name)] = (audit, details)
    assert any(a.logged_by_service == "Core Directory" for a in audits), "group and user creation are there too"

    missing = [entry for entry in AUDITED if entry[:2] not in by_request]
    assert not missing, (missing, sorted(by_request))
    for request_id, activity, initiator in AUDITED:
        audit, details = by_request[(request_id, activity)]
        assert audit.category == "GroupManagement" and audit.result.value == "success", audit
        assert details["groupId"] == audit.target_resources[0].id and audit.target_resources[0].type == "Group", audit
        who = audit.initiated_by
        assert initiator in (who.user.id if who.user else None, who.app.service_principal_id if who.app else None), who
    audit, details = by_request[(AUDITED[-2][0], "Add eligible member to group in PIM completed")]
    assert (details["principalId"], details["accessId"], details["action"], details["justification"]) == \
        (gina.id, "member", "adminAssign", "audit me"), details
    assert audit.target_resources[0].id == group and audit.initiated_by.app.app_id == pim.admin.app_id, audit


def test_odata_options_apply_to_pim_lists_and_the_audit_trail(pim):
    """`requests` writes `%24filter=groupId+eq+%27…%27`: the server must apply it, not answer
    every group's schedules (it once ignored options spelt this way)."""
    busy, quiet = pim.group("pim-odata-busy"), pim.group("pim-odata-quiet")
    gina = pim.person("gina")
    pim.cli("pim", "eligible", "add", "--tenant", TENANT, "--group", busy, "--principal", gina.id)
    path = "/identityGovernance/privilegedAccess/group/eligibilitySchedules"
    mine = pim.raw("GET", path, params={"$filter": f"groupId eq '{busy}'"})
    assert mine.status_code == 200, mine.text
    assert [s["principalId"] for s in mine.json()["value"]] == [gina.id]
    assert pim.raw("GET", path, params={"$filter": f"groupId eq '{quiet}'"}).json()["value"] == []
    assert len(pim.raw("GET", path, params={"$top": "1"}).json()["value"]) == 1
    audits = pim.raw("GET", "/auditLogs/directoryAudits",
                     params={"$filter": "loggedByService eq 'Privileged Identity Management'", "$top": "1"})
    assert audits.status_code == 200, audits.text
    page = audits.json()
    assert len(page["value"]) == 1 and page["value"][0]["loggedByService"] == "Privileged Identity Management", page
    assert "@odata.nextLink" in page, "more than one PIM entry exists, so a next page does"
