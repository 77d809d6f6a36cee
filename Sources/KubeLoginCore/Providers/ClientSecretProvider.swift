/// `--login spn` with `--client-secret`.
struct ClientSecretProvider: TokenProvider {
    let flow: ClientCredentialsFlow
    let cacheKey: TokenCacheKey?

    var credentialName: String { "ClientSecretCredential" }
    func signIn() async throws -> AcquiredToken { try await flow.run() }
}
