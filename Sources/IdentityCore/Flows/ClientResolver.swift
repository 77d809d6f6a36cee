import OAuthProtocol

/// Resolves the client of a token request. A public client (kubelogin, az, MSAL apps on a
/// laptop) names itself with `client_id` and proves nothing (`appidacr` "0"); a confidential
/// client must authenticate as for client credentials (`appidacr` "1" or "2").
struct ClientResolver: Sendable {
    let directory: DirectoryView
    let authenticator: ClientAuthenticator

    func resolve(_ request: TokenRequest, tenant: Tenant, requirement: ClientRequirement) async throws -> ResolvedClient {
        if requirement == .confidential {
            let client = try await authenticator.authenticate(request, tenant: tenant)
            return ResolvedClient(record: client.record, authenticationClass: client.method.authenticationClass,
                                  authenticated: client)
        }
        guard let clientID = request.parameter("client_id") ?? request.basicClientID else {
            throw OAuthError.missingParameter("client_id")
        }
        guard let record = try await directory.client(tenantID: tenant.id, clientID: clientID) else {
            throw OAuthError.unknownClient(clientID, tenant: tenant.id)
        }
        guard let principal = record.servicePrincipal, principal.accountEnabled else {
            throw OAuthError.clientDisabled(record.application.appID)
        }
        if record.application.isPublicClient {
            return ResolvedClient(record: record, authenticationClass: "0", authenticated: nil)
        }
        let client = try await authenticator.authenticate(request, tenant: tenant)
        return ResolvedClient(record: client.record, authenticationClass: client.method.authenticationClass,
                              authenticated: client)
    }
}
