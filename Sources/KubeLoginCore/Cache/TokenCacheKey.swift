/// Which identity a cached token belongs to: one entry per (authority, tenant, client,
/// resource, login mode, user). Upstream keeps one record per cache directory, which is why
/// switching clusters, tenants or users prompts again there (Azure/kubelogin #652, #159).
public struct TokenCacheKey: Sendable, Equatable, Codable {
    /// `host[:port]` of the authority, lower-cased.
    public var authority: String
    public var tenant: String
    public var clientID: String
    /// The requested scope, e.g. `6dae42f8-…/.default`.
    public var resource: String
    public var loginMode: String
    /// What tells users of one client apart before sign-in: `--username` for ROPC,
    /// `--login-hint` for the browser, empty otherwise.
    public var user: String

    public init(authority: String, tenant: String, clientID: String, resource: String, loginMode: LoginMode, user: String = "") {
        self.authority = authority.lowercased()
        self.tenant = tenant.lowercased()
        self.clientID = clientID.lowercased()
        self.resource = resource
        self.loginMode = loginMode.rawValue
        self.user = user
    }

    /// File name stem: hex SHA-256 of the fields (so no field value can escape the directory).
    public var fileStem: String {
        let canonical = [authority, tenant, clientID, resource, loginMode, user].joined(separator: "\n")
        return CacheKeyDigest.sha256Hex("kubeid-token-cache-v1\n" + canonical)
    }
}
