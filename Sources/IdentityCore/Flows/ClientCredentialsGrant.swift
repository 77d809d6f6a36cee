import OAuthProtocol

/// `grant_type=client_credentials`: a service principal signs in as itself (pipelines).
/// No refresh token, no ID token, no server-side session (SECURITY.md item 18).
///
/// Every outcome is audited (SECURITY.md item 40) through the batched trail: this is the
/// busiest endpoint, and a store write per token would halve its throughput.
public struct ClientCredentialsGrant: TokenGrant {
    public let grantTypes = [GrantType.clientCredentials]
    private let authenticator: ClientAuthenticator
    private let directory: DirectoryView
    private let issuer: TokenIssuer
    private let audit: AuditTrail

    public init(authenticator: ClientAuthenticator, directory: DirectoryView, issuer: TokenIssuer, audit: AuditTrail) {
        self.authenticator = authenticator
        self.directory = directory
        self.issuer = issuer
        self.audit = audit
    }

    public func issue(_ request: TokenRequest, tenant: Tenant) async throws -> TokenResponse {
        do {
            return try await issueAudited(request, tenant: tenant)
        } catch let error as OAuthError {
            audit.recordLater("signin.failed", tenantID: tenant.id, outcome: "failure",
                              clientID: request.parameter("client_id") ?? request.basicClientID,
                              sourceAddress: request.clientAddress,
                              details: ["grant": GrantType.clientCredentials, "aadsts": String(error.code), "error": error.error])
            throw error
        }
    }

    private func issueAudited(_ request: TokenRequest, tenant: Tenant) async throws -> TokenResponse {
        // App-only tokens name their tenant: like Entra, no `common`/`organizations` here even
        // when a single-tenant installation resolves those aliases for user sign-in.
        if DirectoryView.multiTenantAliases.contains(request.tenantSegment.lowercased()) {
            throw OAuthError.tenantNotFound(request.tenantSegment)
        }
        let requested = try RequestedResource.parse(request)
        let client = try await authenticator.authenticate(request, tenant: tenant)
        guard let principal = client.record.servicePrincipal else {
            throw OAuthError.clientDisabled(client.record.application.appID)
        }
        guard let resource = try await directory.resource(tenantID: tenant.id, identifier: requested.identifier) else {
            throw OAuthError.resourceNotFound(requested.identifier, tenant: tenant.id)
        }
        let groups = try await directory.transitiveGroups(tenantID: tenant.id, memberID: principal.objectID)
        let token = try await issuer.issueAppToken(tenant: tenant, client: client, principal: principal,
                                                   resource: resource, audience: requested.identifier, groupIDs: groups)
        audit.recordLater("token.issued", tenantID: tenant.id, actor: principal.objectID, subject: principal.objectID,
                          clientID: client.record.application.appID, sourceAddress: request.clientAddress,
                          details: ["grant": GrantType.clientCredentials, "resource": resource.appID,
                                    "groups": String(groups.count), "credential": client.method.rawValue,
                                    "tokenID": token.tokenID])
        return TokenResponse(accessToken: token.token, expiresIn: token.expiresIn, expiresOn: token.expiresOn,
                             notBefore: token.issuedAt,
                             resource: request.version == .v1 ? requested.identifier : nil)
    }
}
