import AsyncHTTPClient
import Cryptography
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOSSL

/// Fetches an issuer's signing keys the way kube-apiserver does: the OpenID configuration at
/// `<issuer>/.well-known/openid-configuration` (for kubeid's v1 tokens that is
/// `https://host:port/<tid>/…`), then its `jwks_uri`, over HTTPS trusting `caFile`.
public enum KubeAPIServerJWKS {
    public struct Discovered: Sendable {
        public var issuer: String
        public var keys: [String: VerificationKey]
    }

    public static func fetch(issuerBaseURL: String, tenantID: String, caFile: String) async throws -> Discovered {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(caFile)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls))
        do {
            let configuration = try await getJSON(client, "\(issuerBaseURL)/\(tenantID)/.well-known/openid-configuration")
            guard let issuer = configuration["issuer"] as? String, let jwksURI = configuration["jwks_uri"] as? String else {
                throw KubeAPIServerStandInError("the v1 OpenID configuration lacks issuer or jwks_uri")
            }
            let jwks = try await getJSON(client, jwksURI)
            var keys: [String: VerificationKey] = [:]
            for entry in jwks["keys"] as? [[String: Any]] ?? [] {
                guard let kid = entry["kid"] as? String, entry["kty"] as? String == "RSA",
                      let n = entry["n"] as? String, let e = entry["e"] as? String else { continue }
                keys[kid] = VerificationKey(keyID: kid, algorithm: .rs256, publicKey: try PublicKey(jwk: JWK(kty: "RSA", kid: kid, n: n, e: e)))
            }
            try await client.shutdown()
            return Discovered(issuer: issuer, keys: keys)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func getJSON(_ client: HTTPClient, _ url: String) async throws -> [String: Any] {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code == 200,
              let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw KubeAPIServerStandInError("GET \(url) answered HTTP \(response.status.code)")
        }
        return object
    }
}

public struct KubeAPIServerStandInError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
