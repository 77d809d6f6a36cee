/// One login mode. Each mode is its own type, chosen by ``TokenProviderFactory``; the cache
/// policy around it (reuse, refresh, lock) lives in ``CachedTokenSource`` so every mode gets
/// the same behaviour.
public protocol TokenProvider: Sendable {
    /// The name upstream's messages use (`DeviceCodeCredential`, `ClientSecretCredential`, …).
    var credentialName: String { get }
    /// The cache slot for this identity, or nil when the mode is not cached (az, azd).
    var cacheKey: TokenCacheKey? { get }
    /// True for the user sign-ins (device code, browser, ROPC): they record `auth.json`, their
    /// first sign-in is reported as "failed to authenticate", and they can refresh.
    var isUserSignIn: Bool { get }
    /// A fresh token: a prompt, a browser, a password grant or client credentials.
    func signIn() async throws -> AcquiredToken
    /// Redeems a refresh token; `.rejected` when the server refuses it (then a sign-in follows).
    func refresh(using refreshToken: String) async throws -> RefreshOutcome
}

public enum RefreshOutcome: Sendable {
    case token(AcquiredToken)
    case rejected(EntraErrorResponse)
    case unsupported
}

extension TokenProvider {
    public var isUserSignIn: Bool { false }
    public func refresh(using refreshToken: String) async throws -> RefreshOutcome { .unsupported }
}

/// The part the three user sign-in modes share: refreshing with their public client.
struct UserSignInRefresher: Sendable {
    let client: EntraClient
    let clientID: String
    let scope: String

    func refresh(_ refreshToken: String) async throws -> RefreshOutcome {
        switch try await UserTokenRequests.refresh(client: client, clientID: clientID, scope: scope, refreshToken: refreshToken) {
        case .token(let token): return .token(token)
        case .error(let error): return .rejected(error)
        }
    }
}
