import OAuthProtocol

/// `grant_type=client_credentials`: a service principal signs in as itself (pipelines).
/// No refresh token, no ID token, no server-side session (SECURITY.md item 18).
public struct ClientCredentialsGrant: TokenGrant {
    public let grantTypes = [GrantType.clientCredentials]
    private let authenticator: ClientAuthenticator
    private let directory: DirectoryView
    private let issuer: TokenIssuer

    public init(authenticator: ClientAuthenticator, directory: DirectoryView, issuer: TokenIssuer) {
        self.authenticator = authenticator
        self.directory = directory
        self.issuer = issuer
    }

    public func issue(_ request: TokenRequest, tenant: Tenant) async throws -> TokenResponse {
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
        return TokenResponse(accessToken: token.token, expiresIn: token.expiresIn, expiresOn: token.expiresOn,
                             notBefore: token.issuedAt,
                             resource: request.version == .v1 ? requested.identifier : nil)
    }
}
