/// `--login devicecode`: the default mode.
struct DeviceCodeProvider: TokenProvider {
    let flow: DeviceCodeFlow
    let refresher: UserSignInRefresher
    let cacheKey: TokenCacheKey?

    var credentialName: String { "DeviceCodeCredential" }
    var isUserSignIn: Bool { true }
    func signIn() async throws -> AcquiredToken { try await flow.run() }
    func refresh(using refreshToken: String) async throws -> RefreshOutcome { try await refresher.refresh(refreshToken) }
}
