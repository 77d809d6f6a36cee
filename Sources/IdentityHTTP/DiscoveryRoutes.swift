import Cryptography
import Foundation
import Hummingbird
import IdentityCore
import OAuthProtocol

/// OIDC discovery and JWKS, v2 and v1 (docs/compatibility.md, Endpoints, Discovery).
struct DiscoveryRoutes {
    let directory: DirectoryView
    let keyRing: KeyRing
    let urls: IssuerURLs

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/{tenant}/v2.0/.well-known/openid-configuration") { request, context in
            try await discovery(request, context, version: .v2)
        }
        router.get("/{tenant}/.well-known/openid-configuration") { request, context in
            try await discovery(request, context, version: .v1)
        }
        router.get("/{tenant}/discovery/v2.0/keys") { request, context in
            try await keys(request, context, version: .v2)
        }
        router.get("/{tenant}/discovery/keys") { request, context in
            try await keys(request, context, version: .v1)
        }
    }

    private func discovery(_ request: Request, _ context: IdentityRequestContext,
                           version: EndpointVersion) async throws -> Response {
        let segment = try context.parameters.require("tenant")
        guard let tenant = try await directory.tenant(segment) else {
            // MSAL reports discovery failures with the correlation id it sent
            // (docs/compatibility.md, Discovery).
            return EntraResponse.error(.tenantNotFound(segment), correlationID: EntraCorrelation.clientRequestID(request),
                                       errorURIBase: errorURIBase)
        }
        // Endpoints carry the tenant's GUID whichever alias the client used, as Entra's do; MSAL
        // uses the token endpoint's first path segment as its cache realm.
        let document = version == .v2
            ? DiscoveryDocument.v2(issuerURL: urls.baseURL, tenantPath: tenant.id, tenantID: tenant.id)
            : DiscoveryDocument.v1(issuerURL: urls.baseURL, tenantPath: tenant.id, tenantID: tenant.id)
        return EntraResponse.json(document)
    }

    /// The JWKS. `common` (and the other aliases) answer too: Entra serves keys there, and
    /// the keys are the same for every tenant.
    private func keys(_ request: Request, _ context: IdentityRequestContext,
                      version: EndpointVersion) async throws -> Response {
        let segment = try context.parameters.require("tenant")
        var issuerName: String?
        if !["common", "organizations", "consumers"].contains(segment.lowercased()) {
            guard let tenant = try await directory.tenant(segment) else {
                return EntraResponse.error(.tenantNotFound(segment), correlationID: EntraCorrelation.clientRequestID(request),
                                           errorURIBase: errorURIBase)
            }
            issuerName = version == .v2 ? urls.v2Issuer(tenantID: tenant.id) : nil
        }
        let set = JWKSet(keys: try await keyRing.publishedKeys().map { $0.publicJWK(issuer: issuerName) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return EntraResponse.json([UInt8](try encoder.encode(set)))
    }

    private var errorURIBase: String { "\(urls.baseURL)/error" }
}
