import OAuthProtocol

/// `grant_type=urn:ietf:params:oauth:grant-type:device_code` (MSAL Python) or `device_code`
/// (MSAL Go, ADAL): polls the ``DeviceCodeFlow`` and, once approved, issues the user's tokens.
/// The code comes in `device_code` or (ADAL) `code`; the scope comes from the flow when the poll
/// omits it (MSAL Python sends none).
public struct DeviceCodeGrant: TokenGrant {
    public let grantTypes = [GrantType.deviceCode, GrantType.deviceCodeShort]
    let flow: DeviceCodeFlow
    let clients: UserGrantClient
    let store: any IdentityStore
    let minter: UserTokenMinter

    public func issue(_ request: TokenRequest, tenant: Tenant) async throws -> TokenResponse {
        guard let deviceCode = request.parameter("device_code") ?? request.parameter("code") else {
            throw OAuthError.missingParameter("device_code")
        }
        let (client, authenticationClass) = try await clients.resolve(request, tenant: tenant)
        let v1 = request.version == .v1
        switch try await flow.poll(deviceCode: deviceCode, clientID: client.appID) {
        case .pending: throw OAuthError.authorizationPending
        case .slowDown(let interval): throw OAuthError.slowDown(interval: interval)
        case .expired: throw OAuthError.deviceCodeExpired(v1: v1)
        case .declined: throw OAuthError.deviceAuthorizationDeclined(v1: v1)
        case .alreadyRedeemed: throw OAuthError.deviceCodeAlreadyUsed
        case .unknown: throw OAuthError.badVerificationCode
        case .wrongClient: throw OAuthError.deviceCodeClientMismatch
        case .approved(let authorization):
            guard authorization.tenantID == tenant.id else { throw OAuthError.badVerificationCode }
            let scope = authorization.endpointVersion == EndpointVersion.v2.rawValue && !authorization.scope.isEmpty
                ? try UserScope.parse(scope: authorization.scope)
                : UserScope.v1(resource: authorization.resource)
            let (resource, _) = try await minter.resolve(scope, tenant: tenant)
            guard let userID = authorization.userObjectID,
                  let user = try await store.user(tenantID: tenant.id, objectID: userID) else {
                throw OAuthError.invalidUsernameOrPassword
            }
            guard user.accountEnabled else { throw OAuthError.userDisabled }
            return try await minter.mint(.init(
                tenant: tenant, user: user, client: client, clientAuthenticationClass: authenticationClass, scope: scope,
                resource: resource, methods: authorization.authenticationMethods,
                authenticatedAt: authorization.authenticatedAt ?? authorization.createdAt, nonce: nil,
                address: request.clientAddress, version: request.version, refresh: .newFamily(familyID: ObjectID.make())))
        }
    }
}
