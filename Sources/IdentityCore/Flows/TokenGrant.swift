import OAuthProtocol

/// One grant type of the token endpoint. The phases every grant shares live in
/// ``TokenEndpoint``: tenant lookup, client resolution, the access decision, minting and the
/// sign-in record. A grant implements only what is unique to it: it checks its own parameters,
/// says who is signing in (filling ``SignInContext`` as it learns it, so a failure is recorded
/// with what was known) and returns what to mint, without minting anything.
public protocol TokenGrant: Sendable {
    /// The `grant_type` values this grant answers (device code has two spellings).
    var grantTypes: [String] { get }
    /// How attempts through this grant are recorded (a grant may refine it in the context).
    var flow: SignInFlow { get }
    /// Whether the client must authenticate (client credentials) or may be public (user grants).
    var clientRequirement: ClientRequirement { get }
    /// Checks made before the client is resolved (required parameters, tenant aliases).
    func validate(_ request: TokenRequest, tenant: Tenant) throws
    /// The grant's own work; throws ``OAuthError`` for every expected failure.
    func authorize(_ request: TokenRequest, client: ResolvedClient, context: inout SignInContext) async throws -> GrantOutcome
}

extension TokenGrant {
    public func validate(_ request: TokenRequest, tenant: Tenant) throws {}
}

/// What a grant established, before any token exists.
public enum GrantOutcome: Sendable {
    /// A user signs in: the user-token minter takes it from here.
    case user(UserTokenMinter.Grant)
    /// A service principal signs in as itself.
    case application(ApplicationTokenGrant)
}

/// A service principal's own sign-in, ready to mint.
public struct ApplicationTokenGrant: Sendable {
    public var client: AuthenticatedClient
    public var principal: ServicePrincipal
    public var resource: Application
    /// The `aud` of v1 tokens: the identifier the client asked for.
    public var audience: String
    /// `roles`: the application permissions granted to the principal on the resource.
    public var roles: [String] = []
}
