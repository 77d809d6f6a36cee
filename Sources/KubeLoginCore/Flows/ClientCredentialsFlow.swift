/// `client_credentials` with a secret or a signed assertion (certificate or federated token),
/// as MSAL confidential clients send it (docs/compatibility.md, Client authentication).
struct ClientCredentialsFlow: Sendable {
    enum Credential: Sendable {
        case secret(String)
        /// Built per request: certificate assertions name the token endpoint as `aud`.
        case assertion(@Sendable (_ tokenEndpoint: String) throws -> String)
    }

    let client: EntraClient
    let clientID: String
    let scope: String
    let credential: Credential

    func run() async throws -> AcquiredToken {
        var fields: [(String, String)] = [("grant_type", "client_credentials"), ("client_id", clientID)]
        switch credential {
        case .secret(let secret):
            fields.append(("client_secret", secret))
        case .assertion(let makeAssertion):
            let endpoint = try await client.endpoints().token
            fields.append(("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"))
            fields.append(("client_assertion", try makeAssertion(endpoint)))
        }
        fields.append(("client_info", "1"))
        fields.append(("scope", scope))
        switch try await client.requestToken(fields) {
        case .token(let token): return token
        case .error(let error): throw error
        }
    }
}
