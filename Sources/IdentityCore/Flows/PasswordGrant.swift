import OAuthProtocol

/// `grant_type=password` (ROPC): only for clients an administrator enabled it for
/// (`Application.isPasswordGrantEnabled`; RFC 9700 §2.4 says it must not be used, kubelogin's
/// `--login ropc` exists anyway). Users with a second factor are refused with AADSTS50076.
public struct PasswordGrant: TokenGrant {
    public let grantTypes = [GrantType.password]
    let clients: UserGrantClient
    let signIn: UserSignIn
    let minter: UserTokenMinter

    public func issue(_ request: TokenRequest, tenant: Tenant) async throws -> TokenResponse {
        let (client, authenticationClass) = try await clients.resolve(request, tenant: tenant)
        guard client.isPasswordGrantEnabled else { throw OAuthError.passwordGrantNotEnabled(clientID: client.appID) }
        let username = try request.requireParameter("username")
        let password = try request.requireParameter("password")
        let scope = try UserScope.parse(version: request.version, parameter: request.parameter)
        let (resource, _) = try await minter.resolve(scope, tenant: tenant)
        switch try await signIn.verifyPassword(tenant: tenant, userPrincipalName: username, password: password,
                                               address: request.clientAddress, clientID: client.appID) {
        case .failed(let error):
            throw error
        case .needsSecondFactor:
            throw OAuthError.multiFactorRequired
        case .signedIn(let user, let methods):
            return try await minter.mint(.init(
                tenant: tenant, user: user, client: client, clientAuthenticationClass: authenticationClass, scope: scope,
                resource: resource, methods: methods, authenticatedAt: minter.issuer.clock.now(), nonce: nil,
                address: request.clientAddress, version: request.version, refresh: .newFamily(familyID: ObjectID.make())))
        }
    }
}
