/// `--login ropc`: the resource-owner password grant with `--username`/`--password`.
struct UsernamePasswordProvider: TokenProvider {
    let client: EntraClient
    let clientID: String
    let scope: String
    let username: String
    let password: String
    let refresher: UserSignInRefresher
    let cacheKey: TokenCacheKey?

    var credentialName: String { "UsernamePasswordCredential" }
    var isUserSignIn: Bool { true }

    func signIn() async throws -> AcquiredToken {
        try await UserTokenRequests.password(client: client, clientID: clientID, scope: scope, username: username, password: password)
    }

    func refresh(using refreshToken: String) async throws -> RefreshOutcome { try await refresher.refresh(refreshToken) }
}
