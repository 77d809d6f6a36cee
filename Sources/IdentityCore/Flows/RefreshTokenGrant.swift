import OAuthProtocol

/// `grant_type=refresh_token`: rotates the token (``RefreshTokenService``), re-reads the user
/// (disabled or deleted → refused) and re-resolves groups, so membership changes reach the next
/// token (pain point 2). The resource may be named again but must be the one signed in for.
public struct RefreshTokenGrant: TokenGrant {
    public let grantTypes = [GrantType.refreshToken]
    let refreshTokens: RefreshTokenService
    let clients: UserGrantClient
    let store: any IdentityStore
    let minter: UserTokenMinter

    public func issue(_ request: TokenRequest, tenant: Tenant) async throws -> TokenResponse {
        let token = try request.requireParameter("refresh_token")
        let (client, authenticationClass) = try await clients.resolve(request, tenant: tenant)
        let record = try await refreshTokens.validate(token, clientID: client.appID)
        guard record.tenantID == tenant.id else { throw OAuthError.refreshTokenInvalid }
        let granted = try UserScope.parse(scope: record.scope)
        var scope = granted
        if request.parameter("scope") != nil || request.parameter("resource") != nil {
            scope = try UserScope.parse(version: request.version, parameter: request.parameter)
        }
        let (resource, _) = try await minter.resolve(scope, tenant: tenant)
        guard resource.appID == granted.resourceIdentifier else {
            throw OAuthError.scopeNotGranted(scope.requestedResourceScopes.joined(separator: " "))
        }
        if request.version == .v2, !scope.oidcScopes.isEmpty {
            scope.oidcScopes.formIntersection(granted.oidcScopes.union(["openid", "profile", "email"]))
        } else {
            scope.oidcScopes = granted.oidcScopes
        }
        scope.oidcScopes.insert("offline_access")
        guard let user = try await store.user(tenantID: tenant.id, objectID: record.userObjectID) else {
            try await refreshTokens.revokeFamily(record.familyID)
            throw OAuthError.refreshTokenRevoked
        }
        guard user.accountEnabled else { throw OAuthError.userDisabled }
        let successor = try await refreshTokens.rotate(token, record: record)
        return try await minter.mint(.init(
            tenant: tenant, user: user, client: client, clientAuthenticationClass: authenticationClass, scope: scope,
            resource: resource, methods: record.authenticationMethods, authenticatedAt: record.authenticatedAt, nonce: nil,
            address: request.clientAddress, version: request.version, refresh: .rotated(successor)))
    }
}
