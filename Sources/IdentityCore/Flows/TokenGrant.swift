import OAuthProtocol

/// One grant type of the token endpoint. The shared phases (tenant lookup, dispatch, error
/// rendering) live in ``TokenEndpoint``; a grant implements only what is unique to it and
/// throws ``OAuthError`` for every expected failure.
public protocol TokenGrant: Sendable {
    /// The `grant_type` values this grant answers (device code has two spellings).
    var grantTypes: [String] { get }
    func issue(_ request: TokenRequest, tenant: Tenant) async throws -> TokenResponse
}
