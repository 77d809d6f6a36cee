/// `--login interactive`: authorization code + PKCE in the browser.
struct InteractiveBrowserProvider: TokenProvider {
    let flow: AuthorizationCodeFlow
    let refresher: UserSignInRefresher
    let cacheKey: TokenCacheKey?

    var credentialName: String { "InteractiveBrowserCredential" }
    var isUserSignIn: Bool { true }
    func signIn() async throws -> AcquiredToken { try await flow.run() }
    func refresh(using refreshToken: String) async throws -> RefreshOutcome { try await refresher.refresh(refreshToken) }
}
