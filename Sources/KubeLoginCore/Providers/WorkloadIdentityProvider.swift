import Foundation
import OAuthProtocol

/// `--login workloadidentity`: the projected service-account token in
/// `AZURE_FEDERATED_TOKEN_FILE` is the client assertion (docs/compatibility.md, Client
/// authentication). The file is read on every sign-in, because the kubelet rotates it.
struct WorkloadIdentityProvider: TokenProvider {
    let client: EntraClient
    let clientID: String
    let scope: String
    let federatedTokenFile: String
    let cacheKey: TokenCacheKey?

    var credentialName: String { "WorkloadIdentityCredential" }

    func signIn() async throws -> AcquiredToken {
        let assertion: String
        do {
            assertion = try String(contentsOfFile: federatedTokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw HTTPTransportError("failed to read the federated token file \(federatedTokenFile): \((error as NSError).localizedDescription)")
        }
        let flow = ClientCredentialsFlow(client: client, clientID: clientID, scope: scope, credential: .assertion { _ in assertion })
        return try await flow.run()
    }
}

/// The GitHub Actions branch of workload identity: when the Actions OIDC variables are set, the
/// assertion comes from the Actions token service (audience `api://AzureADTokenExchange`).
/// Like upstream, this path is not cached.
struct GitHubActionsWorkloadIdentityProvider: TokenProvider {
    let client: EntraClient
    let clientID: String
    let scope: String
    let requestToken: String
    let requestURL: String

    var credentialName: String { "WorkloadIdentityCredential" }
    var cacheKey: TokenCacheKey? { nil }

    func signIn() async throws -> AcquiredToken {
        let separator = requestURL.contains("?") ? "&" : "?"
        let url = requestURL + separator + "audience=" + FormURLEncoding.percentEncode("api://AzureADTokenExchange")
        let response = try await client.transport.send(HTTPRequest(method: "GET", url: url, headers: [
            ("Authorization", "bearer \(requestToken)"), ("Content-Type", "application/json"),
            ("Accept", "application/json; api-version=2.0"),
        ]))
        guard response.status == 200 else {
            throw HTTPTransportError("github actions ID token request failed with status code: \(response.status), response body: \(String(decoding: response.body, as: UTF8.self))")
        }
        guard let assertion = JSONObject(bytes: response.body)?.string("value"), !assertion.isEmpty else {
            throw HTTPTransportError("github actions ID token is empty")
        }
        let flow = ClientCredentialsFlow(client: client, clientID: clientID, scope: scope, credential: .assertion { _ in assertion })
        return try await flow.run()
    }
}
