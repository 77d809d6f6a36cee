import Foundation

/// `--login spn` with `--client-certificate` (PEM or `.pfx`): a signed client assertion.
///
/// The certificate is read when a token is actually needed, so a cache hit does not parse it.
struct ClientCertificateProvider: TokenProvider {
    let client: EntraClient
    let clientID: String
    let scope: String
    let certificatePath: String
    let certificatePassword: String
    let cacheKey: TokenCacheKey?

    var credentialName: String { "ClientCertificateCredential" }

    func signIn() async throws -> AcquiredToken {
        let certificate = try ClientCertificate.load(path: certificatePath, password: certificatePassword)
        let now = client.now
        let flow = ClientCredentialsFlow(client: client, clientID: clientID, scope: scope, credential: .assertion { endpoint in
            try ClientAssertion.make(certificate: certificate, clientID: clientID, audience: endpoint, now: now())
        })
        return try await flow.run()
    }
}
