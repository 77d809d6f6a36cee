import OAuthProtocol

/// `grant_type=urn:ietf:params:oauth:grant-type:device_code` (MSAL Python) or `device_code`
/// (MSAL Go, ADAL): polls the ``DeviceCodeFlow`` and, once approved, names the user who approved
/// it. The code comes in `device_code` or (ADAL) `code`; the scope comes from the flow when the
/// poll omits it (MSAL Python sends none). Pending polls are not sign-ins and are not recorded.
public struct DeviceCodeGrant: TokenGrant {
    public let grantTypes = [GrantType.deviceCode, GrantType.deviceCodeShort]
    public let flow = SignInFlow.deviceCode
    public let clientRequirement = ClientRequirement.publicOrConfidential
    let flowState: DeviceCodeFlow
    let store: any IdentityStore
    let minter: UserTokenMinter

    public func validate(_ request: TokenRequest, tenant: Tenant) throws {
        guard request.parameter("device_code") ?? request.parameter("code") != nil else {
            throw OAuthError.missingParameter("device_code")
        }
    }

    public func authorize(_ request: TokenRequest, client: ResolvedClient,
                          context: inout SignInContext) async throws -> GrantOutcome {
        let deviceCode = request.parameter("device_code") ?? request.parameter("code") ?? ""
        let tenant = context.tenant
        let v1 = request.version == .v1
        switch try await flowState.poll(deviceCode: deviceCode, clientID: client.application.appID, tenantID: tenant.id) {
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
            guard let userID = authorization.userObjectID,
                  let user = try await store.user(tenantID: tenant.id, objectID: userID) else {
                throw OAuthError.invalidUsernameOrPassword
            }
            context.subject = .user(user)
            context.authenticationMethods = authorization.authenticationMethods
            context.authenticatedAt = authorization.authenticatedAt ?? authorization.createdAt
            let (resource, _) = try await minter.resolve(scope, tenant: tenant)
            context.resource = resource
            return .user(.init(
                tenant: tenant, user: user, client: client.application, clientAuthenticationClass: client.authenticationClass,
                scope: scope, resource: resource, methods: authorization.authenticationMethods,
                authenticatedAt: authorization.authenticatedAt ?? authorization.createdAt, nonce: nil,
                address: request.clientAddress, version: request.version, refresh: .newFamily(familyID: ObjectID.make())))
        }
    }
}
