import Cryptography
import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

/// The AKS applications every tenant has, and the scope kubelogin asks for.
enum AKS {
    static let serverAppID = WellKnownApplications.aksServerAppID
    static let clientAppID = WellKnownApplications.aksClientAppID
    static let scope = "\(serverAppID)/.default"
}

/// Where domain-level token requests claim to come from (TEST-NET-1).
let defaultClientAddress = "192.0.2.10"

extension TestIssuer {
    /// Sends a token request straight to the token endpoint, as the HTTP layer would after parsing.
    func requestToken(tenant: String, version: EndpointVersion = .v2, _ parameters: [String: String],
                      basic: (id: String, secret: String)? = nil,
                      from address: String = defaultClientAddress, userAgent: String? = nil,
                      correlationID: String? = nil) async throws -> TokenResponse {
        try await issuer.tokenEndpoint.handle(TokenRequest(
            tenantSegment: tenant, version: version, parameters: parameters,
            basicClientID: basic?.id, basicClientSecret: basic?.secret, clientAddress: address,
            correlationID: correlationID, userAgent: userAgent))
    }

    /// The token request a pipeline sends with its secret (`client_secret_post`).
    static func secretParameters(_ registration: ServicePrincipalRegistration, secret: String? = nil,
                                 scope: String = AKS.scope) -> [String: String] {
        ["grant_type": "client_credentials", "client_id": registration.application.appID,
         "client_secret": secret ?? registration.password ?? "", "scope": scope]
    }

    /// The v2 token endpoint URL of the tenant, as a client assertion names it in `aud`.
    func tokenEndpoint(_ tenantSegment: String) -> String {
        "\(TestIssuer.issuerURL)/\(tenantSegment)/oauth2/v2.0/token"
    }
}

/// A compact JWS split into its parsed JSON header and payload (no verification).
struct DecodedJWT {
    let header: [String: Any]
    let payload: [String: Any]

    init(_ token: String) throws {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        func object(_ part: Substring) throws -> [String: Any] {
            let bytes = try #require(Base64URL.decode(part))
            return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        }
        header = try object(parts[0])
        payload = try object(parts[1])
    }

    func string(_ name: String) -> String? { payload[name] as? String }
    func integer(_ name: String) -> Int? { (payload[name] as? NSNumber)?.intValue }
    func strings(_ name: String) -> [String]? { payload[name] as? [String] }
}

/// A fresh directory under the temporary directory, removed by the caller.
func makeTemporaryDirectory(_ label: String = "kubeid-core") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func posixMode(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}
