import OAuthProtocol

/// `grant_type=password` (ROPC): only for clients an administrator enabled it for
/// (`Application.isPasswordGrantEnabled`; RFC 9700 §2.4 says it must not be used, kubelogin's
/// `--login ropc` exists anyway). The grant checks the password; the access decision then
/// refuses users with a second factor (AADSTS50076: this grant cannot ask for it) and locked,
/// disabled accounts.
public struct PasswordGrant: TokenGrant {
    public let grantTypes = [GrantType.password]
    public let flow = SignInFlow.password
    public let clientRequirement = ClientRequirement.publicOrConfidential
    let credentials: UserCredentialVerifier
    let minter: UserTokenMinter

    public func authorize(_ request: TokenRequest, client: ResolvedClient,
                          context: inout SignInContext) async throws -> GrantOutcome {
        guard client.application.isPasswordGrantEnabled else {
            throw OAuthError.passwordGrantNotEnabled(clientID: client.application.appID)
        }
        let username = try request.requireParameter("username")
        let password = try request.requireParameter("password")
        let scope = try UserScope.parse(version: request.version, parameter: request.parameter)
        let tenant = context.tenant
        let (resource, _) = try await minter.resolve(scope, tenant: tenant)
        context.resource = resource
        let user: User
        switch try await credentials.verifyPassword(tenant: tenant, userPrincipalName: username, password: password,
                                                    address: request.clientAddress) {
        case .wrong:
            throw OAuthError.invalidUsernameOrPassword
        case .locked(let until, let lockedUser):
            context.subject = lockedUser.map(SignInSubject.user)
            context.lockedUntil = until
            throw AccessDecisionNeeded()
        case .verified(let verified):
            user = verified
        }
        let now = minter.issuer.clock.now()
        context.subject = .user(user)
        context.authenticationMethods = ["pwd"]
        context.authenticatedAt = now
        return .user(.init(
            tenant: tenant, user: user, client: client.application, clientAuthenticationClass: client.authenticationClass,
            scope: scope, resource: resource, methods: ["pwd"], authenticatedAt: now, nonce: nil,
            address: request.clientAddress, version: request.version, refresh: .newFamily(familyID: ObjectID.make())))
    }
}
