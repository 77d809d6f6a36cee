import OAuthProtocol

/// Where a login goes: `<authority host><tenant>` plus the Entra endpoint paths under it.
///
/// `--authority-host` (which must end in `/`) replaces the cloud for every mode; otherwise the
/// host comes from `--environment`. Endpoints are Entra's v2.0 paths (docs/compatibility.md,
/// Endpoints).
public struct Authority: Sendable, Equatable {
    /// `https://host[:port]/`, always with the trailing slash.
    public var host: String
    public var tenant: String
    public var disableInstanceDiscovery: Bool

    public init(host: String, tenant: String, disableInstanceDiscovery: Bool) {
        self.host = host.hasSuffix("/") ? host : host + "/"
        self.tenant = tenant
        self.disableInstanceDiscovery = disableInstanceDiscovery
    }

    public init(options: TokenOptions) {
        let host = options.authorityHost.isEmpty
            ? CloudEnvironment.authorityHost(forEnvironment: options.environment) : options.authorityHost
        self.init(host: host, tenant: options.tenantID, disableInstanceDiscovery: options.disableInstanceDiscovery)
    }

    /// `https://host/tenant`.
    public var url: String { host + tenant }
    public var discoveryURL: String { url + "/v2.0/.well-known/openid-configuration" }
    public var tokenEndpoint: String { url + "/oauth2/v2.0/token" }
    public var deviceCodeEndpoint: String { url + "/oauth2/v2.0/devicecode" }
    public var authorizeEndpoint: String { url + "/oauth2/v2.0/authorize" }

    /// `host[:port]` without scheme: what the auth record calls the authority (the id token's
    /// `iss` host), and part of the cache key.
    public var hostName: String {
        let afterScheme = host.range(of: "://").map { host[$0.upperBound...] } ?? host[...]
        return String(afterScheme.prefix { $0 != "/" })
    }

    /// Instance discovery (MSAL) asks a Microsoft host about unknown hosts, never the unknown
    /// host itself; `--disable-instance-discovery` switches it off so nothing leaves the host.
    public var instanceDiscoveryURL: String? {
        guard !disableInstanceDiscovery else { return nil }
        let name = hostName.split(separator: ":").first.map(String.init) ?? hostName
        let discoveryHost = CloudEnvironment.knownHosts.contains(name.lowercased()) ? hostName : "login.microsoftonline.com"
        let endpoint = FormURLEncoding.percentEncode(authorizeEndpoint)
        return "https://\(discoveryHost)/common/discovery/instance?api-version=1.1&authorization_endpoint=\(endpoint)"
    }
}
