"""The Graph admin API driven by Microsoft's own clients: msgraph-sdk (kiota) with
azure-identity's ClientSecretCredential pointed at kubeid, MSAL's device flow with the
"Microsoft Graph Command Line Tools" client for delegated calls, and kubeid's CLI on the same
store, which must see the API's changes at once (and the other way round)."""

from __future__ import annotations

import asyncio
import secrets

import httpx
import msal
import pytest
import requests
from azure.identity import ClientSecretCredential
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_authentication_azure.azure_identity_authentication_provider import AzureIdentityAuthenticationProvider
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.applications.item.add_password.add_password_post_request_body import AddPasswordPostRequestBody
from msgraph.generated.groups.groups_request_builder import GroupsRequestBuilder
from msgraph.generated.groups.item.transitive_members.transitive_members_request_builder import (
    TransitiveMembersRequestBuilder,
)
from msgraph.generated.models.group import Group
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.password_credential import PasswordCredential
from msgraph.generated.models.password_profile import PasswordProfile
from msgraph.generated.models.reference_create import ReferenceCreate
from msgraph.generated.models.service_principal import ServicePrincipal as GraphServicePrincipal
from msgraph.generated.models.user import User
from msgraph.graph_request_adapter import options as graph_options
from msgraph_core import GraphClientFactory
from msgraph_core.tasks.page_iterator import PageIterator

from conftest import create_sp
from test_user_signin import Background, browser, create_person  # noqa: F401 (browser is a fixture)

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
GRAPH_TOOLS = "14d82eec-204b-4c2f-b7e8-296a70dab67e"


def graph_client(kubeid, tenant_id: str, sp) -> tuple[GraphServiceClient, GraphRequestAdapter]:
    """The SDK's documented construction, with kubeid as both authority and Graph host."""
    credential = ClientSecretCredential(tenant_id, sp.app_id, sp.password, authority=kubeid.base,
                                        disable_instance_discovery=True, connection_verify=kubeid.ca)
    auth = AzureIdentityAuthenticationProvider(credential, scopes=[GRAPH_SCOPE])
    http = GraphClientFactory.create_with_default_middleware(
        client=httpx.AsyncClient(base_url=f"{kubeid.base}/v1.0", verify=kubeid.ca), options=graph_options)
    adapter = GraphRequestAdapter(auth, client=http)
    adapter.base_url = f"{kubeid.base}/v1.0"
    return GraphServiceClient(request_adapter=adapter), adapter


@pytest.fixture(scope="module")
def graph_tenant(kubeid):
    tenant = kubeid.cli("tenant", "create", "--name", "graphapi")
    admin = create_sp(kubeid, "graphapi", "graph-admin")
    granted = kubeid.cli("sp", "permission", "grant", "--tenant", "graphapi", "--id", admin.app_id,
                         "--permission", "User.ReadWrite.All", "Group.ReadWrite.All", "Application.ReadWrite.All")
    assert [g["permission"] for g in granted] == ["User.ReadWrite.All", "Group.ReadWrite.All",
                                                   "Application.ReadWrite.All"], granted
    listed = kubeid.cli("sp", "permission", "list", "--tenant", "graphapi", "--id", admin.app_id)
    assert len(listed) == 3, listed
    return tenant["id"], admin


def test_the_sdk_manages_users_groups_members_and_secrets(kubeid, graph_tenant):
    tenant_id, admin = graph_tenant
    other = create_sp(kubeid, "graphapi", "graph-member-sp")

    async def scenario():
        graph, adapter = graph_client(kubeid, tenant_id, admin)
        password = "Pw-" + secrets.token_urlsafe(12)
        user = await graph.users.post(User(
            account_enabled=True, display_name="Graph Person", mail_nickname="gperson",
            user_principal_name="gperson@graphapi.test",
            password_profile=PasswordProfile(force_change_password_next_sign_in=False, password=password)))
        assert user.id and user.user_principal_name == "gperson@graphapi.test"

        nested = await graph.groups.post(Group(display_name="graph-nested", mail_enabled=False, mail_nickname="gnested",
                                               security_enabled=True, group_types=[]))
        top = await graph.groups.post(Group(
            display_name="graph-top", mail_enabled=False, mail_nickname="gtop", security_enabled=True, group_types=[],
            additional_data={"members@odata.bind": [f"https://graph.microsoft.com/v1.0/directoryObjects/{user.id}"]}))
        for member in (other.object_id, nested.id):
            await graph.groups.by_group_id(top.id).members.ref.post(
                ReferenceCreate(odata_id=f"https://graph.microsoft.com/v1.0/directoryObjects/{member}"))
        await graph.groups.by_group_id(nested.id).members.ref.post(
            ReferenceCreate(odata_id=f"https://graph.microsoft.com/v1.0/directoryObjects/{user.id}"))
        with pytest.raises(ODataError) as duplicate:
            await graph.groups.by_group_id(top.id).members.ref.post(
                ReferenceCreate(odata_id=f"https://graph.microsoft.com/v1.0/directoryObjects/{user.id}"))
        assert duplicate.value.response_status_code == 400
        assert duplicate.value.error.message == ("One or more added object references already exist for the "
                                                 "following modified properties: 'members'.")

        # transitiveMembers a page of one at a time, through the SDK's PageIterator.
        config = RequestConfiguration(query_parameters=TransitiveMembersRequestBuilder
                                      .TransitiveMembersRequestBuilderGetQueryParameters(top=1))
        first = await graph.groups.by_group_id(top.id).transitive_members.get(request_configuration=config)
        assert first.odata_next_link and first.odata_next_link.startswith(kubeid.base), first.odata_next_link
        seen = []
        iterator = PageIterator(first, adapter)
        await iterator.iterate(lambda item: seen.append(item) or True)
        kinds = {item.id: type(item).__name__ for item in seen}
        assert kinds == {user.id: "User", other.object_id: "ServicePrincipal", nested.id: "Group"}, kinds

        named = await graph.groups.get(request_configuration=RequestConfiguration(
            query_parameters=GroupsRequestBuilder.GroupsRequestBuilderGetQueryParameters(filter="displayName eq 'graph-top'")))
        assert [g.id for g in named.value] == [top.id]

        await graph.users.by_user_id(user.id).patch(User(display_name="Graph Person Renamed"))
        assert (await graph.users.by_user_id(user.id).get()).display_name == "Graph Person Renamed"

        # A new secret for another app, then a client-credentials sign-in with it.
        app = await graph.applications_with_app_id(other.app_id).get()
        added = await graph.applications.by_application_id(app.id).add_password.post(
            AddPasswordPostRequestBody(password_credential=PasswordCredential(display_name="rotated")))
        assert 16 <= len(added.secret_text) <= 64 and added.key_id

        await graph.groups.by_group_id(nested.id).delete()
        await graph.users.by_user_id(user.id).delete()
        with pytest.raises(ODataError) as gone:
            await graph.users.by_user_id(user.id).get()
        assert gone.value.response_status_code == 404
        return top.id, added.secret_text

    top_id, new_secret = asyncio.run(scenario())

    confidential = msal.ConfidentialClientApplication(other.app_id, client_credential=new_secret,
                                                      authority=f"{kubeid.base}/{tenant_id}", instance_discovery=False,
                                                      verify=kubeid.ca)
    assert "access_token" in confidential.acquire_token_for_client([GRAPH_SCOPE])

    # The CLI sees the API's changes at once, and the API the CLI's.
    members = kubeid.cli("group", "member", "list", "--tenant", "graphapi", "--group", top_id)
    assert {m["id"] for m in members} == {other.object_id}, members
    made = kubeid.cli("group", "create", "--tenant", "graphapi", "--display-name", "made-by-cli")

    async def read_back():
        graph, _ = graph_client(kubeid, tenant_id, admin)
        return (await graph.groups.by_group_id(made["id"]).get()).display_name

    assert asyncio.run(read_back()) == "made-by-cli"


def test_a_principal_without_the_permission_gets_403(kubeid, graph_tenant):
    tenant_id, _ = graph_tenant
    bare = create_sp(kubeid, "graphapi", "graph-nobody")

    async def scenario():
        graph, _ = graph_client(kubeid, tenant_id, bare)
        with pytest.raises(ODataError) as refused:
            await graph.users.get()
        return refused.value

    error = asyncio.run(scenario())
    assert error.response_status_code == 403 and error.error.code == "Authorization_RequestDenied", error


def test_service_principals_and_app_role_assignments(kubeid, graph_tenant):
    tenant_id, admin = graph_tenant
    kubeid.cli("sp", "permission", "grant", "--tenant", "graphapi", "--id", admin.app_id,
               "--permission", "AppRoleAssignment.ReadWrite.All")

    async def scenario():
        graph, _ = graph_client(kubeid, tenant_id, admin)
        principals = await graph.service_principals.get()
        by_app = {p.app_id: p for p in principals.value}
        graph_sp: GraphServicePrincipal = by_app["00000003-0000-0000-c000-000000000000"]
        role = next(r for r in graph_sp.app_roles if r.value == "User.Read.All")
        target = by_app[admin.app_id]
        from msgraph.generated.models.app_role_assignment import AppRoleAssignment
        assignment = await graph.service_principals.by_service_principal_id(target.id).app_role_assignments.post(
            AppRoleAssignment(principal_id=target.id, resource_id=graph_sp.id, app_role_id=role.id))
        assert str(assignment.app_role_id) == str(role.id)
        listed = await graph.service_principals.by_service_principal_id(target.id).app_role_assignments.get()
        return {str(a.app_role_id) for a in listed.value}, str(role.id)

    held, role_id = asyncio.run(scenario())
    assert role_id in held
    assert "User.Read.All" in [g["permission"] for g in kubeid.cli("sp", "permission", "list", "--tenant", "graphapi",
                                                                     "--id", admin.app_id)]


def test_delegated_graph_call_needs_a_directory_role(kubeid, browser, graph_tenant):
    tenant_id, _ = graph_tenant
    person = create_person(kubeid, "graphapi", "gadmin@graphapi.test", "Groups Admin", [])
    app = msal.PublicClientApplication(GRAPH_TOOLS, authority=f"{kubeid.base}/{tenant_id}", instance_discovery=False,
                                       verify=kubeid.ca)

    def sign_in(step: str) -> str:
        flow = app.initiate_device_flow(["https://graph.microsoft.com/Group.ReadWrite.All"])
        poll = Background(app.acquire_token_by_device_flow, flow)
        browser.open(flow["verification_uri"], f"{step}-enter-code")
        browser.enter_code(flow["user_code"], f"{step}-sign-in")
        browser.sign_in(person.upn, person.password, f"{step}-confirm")
        browser.confirm(f"{step}-done")
        result = poll.result()
        assert "access_token" in result, result
        return result["access_token"]

    def create_group(token: str, name: str) -> requests.Response:
        return requests.post(f"{kubeid.base}/v1.0/groups", verify=kubeid.ca, timeout=30,
                             headers={"Authorization": f"Bearer {token}"},
                             json={"displayName": name, "mailNickname": name, "mailEnabled": False, "securityEnabled": True})

    token = sign_in("graph-delegated")
    refused = create_group(token, "not-allowed")
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"] == "Authorization_RequestDenied"

    kubeid.cli("directory-role", "assign", "--tenant", "graphapi", "--role", "Groups Administrator", "--member", person.upn)
    roles = kubeid.cli("directory-role", "list", "--tenant", "graphapi", "--member", person.upn)
    assert [r["role"] for r in roles] == ["Groups Administrator"], roles
    # Roles are read at call time, so the same token works once the role is held.
    allowed = create_group(token, "allowed-by-role")
    assert allowed.status_code == 201, allowed.text
    kubeid.cli("directory-role", "remove", "--tenant", "graphapi", "--role", "Groups Administrator", "--member", person.upn)
    assert create_group(token, "refused-again").status_code == 403
