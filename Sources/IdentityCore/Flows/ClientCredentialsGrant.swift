import OAuthProtocol

/// `grant_type=client_credentials`: a service principal signs in as itself (pipelines).
/// No refresh token, no ID token, no server-side session (RFC 6749 §4.4.3).
public struct ClientCredentialsGrant: TokenGrant {
    public let grantTypes = [GrantType.clientCredentials]
    public let flow = SignInFlow.clientCredentials
    public let clientRequirement = ClientRequirement.confidential
    let directory: DirectoryView
    let permissions: GrantedPermissions

    public func validate(_ request: TokenRequest, tenant: Tenant) throws {
        // App-only tokens name their tenant: like Entra, no `common`/`organizations` here even
        // when a single-tenant installation resolves those aliases for user sign-in.
        if DirectoryView.multiTenantAliases.contains(request.tenantSegment.lowercased()) {
            throw OAuthError.tenantNotFound(request.tenantSegment)
        }
        _ = try RequestedResource.parse(request)
    }

    public func authorize(_ request: TokenRequest, client: ResolvedClient,
                          context: inout SignInContext) async throws -> GrantOutcome {
        let requested = try RequestedResource.parse(request)
        guard let authenticated = client.authenticated, let principal = client.record.servicePrincipal else {
            throw OAuthError.clientDisabled(client.application.appID)
        }
        context.subject = .servicePrincipal(principal)
        if authenticated.method == .federatedAssertion { context.flow = .federatedCredential }
        guard let resource = try await directory.resource(tenantID: context.tenant.id, identifier: requested.identifier) else {
            throw OAuthError.resourceNotFound(requested.identifier, tenant: context.tenant.id)
        }
        context.resource = resource
        let roles = try await permissions.appRoles(tenantID: context.tenant.id, principalID: principal.objectID, resource: resource)
        return .application(ApplicationTokenGrant(client: authenticated, principal: principal, resource: resource,
                                                  audience: requested.identifier, roles: roles))
    }
}
