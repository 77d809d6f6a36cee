/// The issuer strings and endpoint URLs derived from the public base URL. They must match
/// byte for byte what discovery advertises, because go-oidc and kube-apiserver compare `iss`
/// exactly (a trailing slash matters).
public struct IssuerURLs: Sendable, Hashable {
    /// Public base URL without a trailing slash, e.g. `https://127.0.0.1:8443`.
    public let baseURL: String

    public init(baseURL: String) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
    }

    /// `https://host/<tid>/` — Entra's v1 issuer has the trailing slash.
    public func v1Issuer(tenantID: String) -> String { "\(baseURL)/\(tenantID)/" }
    /// `https://host/<tid>/v2.0`.
    public func v2Issuer(tenantID: String) -> String { "\(baseURL)/\(tenantID)/v2.0" }

    public func issuer(tenantID: String, tokenVersion: Int) -> String {
        tokenVersion == 1 ? v1Issuer(tenantID: tenantID) : v2Issuer(tenantID: tenantID)
    }

    /// Every token-endpoint URL a client assertion may name as its `aud`, for a tenant reached
    /// by its id or its name: v2, and v1 with or without ADAL's `?api-version=1.0`.
    public func tokenEndpointAudiences(tenantID: String, tenantName: String) -> Set<String> {
        var audiences: Set<String> = []
        for segment in [tenantID, tenantName, tenantName.lowercased()] {
            let base = "\(baseURL)/\(segment)/oauth2"
            audiences.insert("\(base)/v2.0/token")
            audiences.insert("\(base)/token")
            audiences.insert("\(base)/token?api-version=1.0")
        }
        audiences.insert(v2Issuer(tenantID: tenantID))
        audiences.insert(v1Issuer(tenantID: tenantID))
        return audiences
    }
}
