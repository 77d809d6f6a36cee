import OAuthProtocol

/// `grant_type=refresh_token`: validates the token (``RefreshTokenService``) and re-reads the
/// user, so the access decision sees today's account (disabled, sessions revoked, MFA enrolled)
/// and the minter re-resolves groups: membership changes reach the next token. The resource may
/// be named again but must be the one signed in for. The token is rotated only after the
/// decision allows it, by the minter.
public struct RefreshTokenGrant: TokenGrant {
    public let grantTypes = [GrantType.refreshToken]
    public let flow = SignInFlow.refreshToken
    public let clientRequirement = ClientRequirement.publicOrConfidential
    let refreshTokens: RefreshTokenService
    let store: any IdentityStore
    let minter: UserTokenMinter

    public func validate(_ request: TokenRequest, tenant: Tenant) throws {
        _ = try request.requireParameter("refresh_token")
    }

    public func authorize(_ request: TokenRequest, client: ResolvedClient,
                          context: inout SignInContext) async throws -> GrantOutcome {
        let token = try request.requireParameter("refresh_token")
        let tenant = context.tenant
        let record = try await refreshTokens.validate(token, clientID: client.application.appID)
        guard record.tenantID == tenant.id else { throw OAuthError.refreshTokenInvalid }
        guard let user = try await store.user(tenantID: tenant.id, objectID: record.userObjectID) else {
            try await refreshTokens.revokeFamily(record.familyID)
            throw OAuthError.refreshTokenRevoked
        }
        context.subject = .user(user)
        context.authenticationMethods = record.authenticationMethods
        context.authenticatedAt = record.authenticatedAt
        let granted = try UserScope.parse(scope: record.scope)
        var scope = granted
        if request.parameter("scope") != nil || request.parameter("resource") != nil {
            scope = try UserScope.parse(version: request.version, parameter: request.parameter)
        }
        let (resource, _) = try await minter.resolve(scope, tenant: tenant)
        context.resource = resource
        guard resource.appID == granted.resourceIdentifier else {
            throw OAuthError.scopeNotGranted(scope.requestedResourceScopes.joined(separator: " "))
        }
        // Within the resource, never more than was granted (RFC 6749 §6: "MUST NOT include any
        // scope not originally granted"): named scopes must be among the granted ones, and
        // `.default` means the granted set when specific scopes were granted.
        if let grantedScopes = granted.delegatedScopes {
            let allowed = Set(grantedScopes.map { $0.lowercased() })
            if let requested = scope.delegatedScopes {
                guard requested.allSatisfy({ allowed.contains($0.lowercased()) }) else {
                    throw OAuthError.scopeNotGranted(scope.requestedResourceScopes.joined(separator: " "))
                }
            } else {
                scope.delegatedScopes = grantedScopes
                scope.requestedResourceScopes = granted.requestedResourceScopes
            }
        }
        if request.version == .v2, !scope.oidcScopes.isEmpty {
            scope.oidcScopes.formIntersection(granted.oidcScopes.union(["openid", "profile", "email"]))
        } else {
            scope.oidcScopes = granted.oidcScopes
        }
        scope.oidcScopes.insert("offline_access")
        return .user(.init(
            tenant: tenant, user: user, client: client.application, clientAuthenticationClass: client.authenticationClass,
            scope: scope, resource: resource, methods: record.authenticationMethods, authenticatedAt: record.authenticatedAt,
            nonce: nil, address: request.clientAddress, version: request.version,
            refresh: .rotate(presented: token, record: record)))
    }
}
