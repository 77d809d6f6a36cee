/// OpenID Connect discovery documents in Entra's shape (docs/compatibility.md, Discovery).
public enum DiscoveryDocument {
    /// The v2 document for `tenantPath` (the id or name used in the request path) and the
    /// tenant's id `tenantID` (used in `issuer`, which always carries the GUID).
    public static func v2(issuerURL: String, tenantPath: String, tenantID: String) -> JSONValue {
        let base = "\(issuerURL)/\(tenantPath)"
        return .object([
            ("token_endpoint", .string("\(base)/oauth2/v2.0/token")),
            ("token_endpoint_auth_methods_supported", .strings(["client_secret_post", "private_key_jwt", "client_secret_basic"])),
            ("jwks_uri", .string("\(base)/discovery/v2.0/keys")),
            ("response_modes_supported", .strings(["query", "fragment", "form_post"])),
            ("subject_types_supported", .strings(["pairwise"])),
            ("id_token_signing_alg_values_supported", .strings(["RS256"])),
            ("response_types_supported", .strings(["code", "id_token", "code id_token", "id_token token"])),
            ("scopes_supported", .strings(["openid", "profile", "email", "offline_access"])),
            ("issuer", .string("\(issuerURL)/\(tenantID)/v2.0")),
            ("request_uri_parameter_supported", .bool(false)),
            ("authorization_response_iss_parameter_supported", .bool(true)),
            ("code_challenge_methods_supported", .strings(["S256"])),
            ("userinfo_endpoint", .string("\(issuerURL)/oidc/userinfo")),
            ("authorization_endpoint", .string("\(base)/oauth2/v2.0/authorize")),
            ("device_authorization_endpoint", .string("\(base)/oauth2/v2.0/devicecode")),
            ("http_logout_supported", .bool(true)),
            ("frontchannel_logout_supported", .bool(true)),
            ("end_session_endpoint", .string("\(base)/oauth2/v2.0/logout")),
            ("claims_supported", .strings(["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
                                            "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username",
                                            "name", "tid", "ver", "at_hash", "c_hash", "email"])),
            ("tenant_region_scope", .string("WW")),
            ("cloud_instance_name", .string("microsoftonline.com")),
            ("cloud_graph_host_name", .string("graph.windows.net")),
            ("msgraph_host", .string(hostAndPort(of: issuerURL))),
            ("rbac_url", .string("https://pas.windows.net")),
        ])
    }

    /// The v1 document: issuer `<issuer-url>/<tid>/` (trailing slash), endpoints without `/v2.0`.
    public static func v1(issuerURL: String, tenantPath: String, tenantID: String) -> JSONValue {
        let base = "\(issuerURL)/\(tenantPath)"
        return .object([
            ("token_endpoint", .string("\(base)/oauth2/token")),
            ("token_endpoint_auth_methods_supported", .strings(["client_secret_post", "private_key_jwt", "client_secret_basic"])),
            ("jwks_uri", .string("\(base)/discovery/keys")),
            ("response_modes_supported", .strings(["query", "fragment", "form_post"])),
            ("subject_types_supported", .strings(["pairwise"])),
            ("id_token_signing_alg_values_supported", .strings(["RS256"])),
            ("response_types_supported", .strings(["code", "id_token", "code id_token", "token id_token", "token"])),
            ("scopes_supported", .strings(["openid"])),
            ("issuer", .string("\(issuerURL)/\(tenantID)/")),
            ("microsoft_multi_refresh_token", .bool(true)),
            ("authorization_response_iss_parameter_supported", .bool(true)),
            ("code_challenge_methods_supported", .strings(["S256"])),
            ("authorization_endpoint", .string("\(base)/oauth2/authorize")),
            ("device_authorization_endpoint", .string("\(base)/oauth2/devicecode")),
            ("http_logout_supported", .bool(true)),
            ("frontchannel_logout_supported", .bool(true)),
            ("end_session_endpoint", .string("\(base)/oauth2/logout")),
            ("claims_supported", .strings(["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
                                            "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce", "email",
                                            "given_name", "family_name", "nickname"])),
            ("check_session_iframe", .string("\(base)/oauth2/checksession")),
            ("userinfo_endpoint", .string("\(base)/openid/userinfo")),
            ("tenant_region_scope", .string("WW")),
            ("cloud_instance_name", .string("microsoftonline.com")),
            ("cloud_graph_host_name", .string("graph.windows.net")),
            ("msgraph_host", .string(hostAndPort(of: issuerURL))),
            ("rbac_url", .string("https://pas.windows.net")),
        ])
    }

    /// `msgraph_host` names kubeid itself: its Graph-compatible group lookups live there.
    private static func hostAndPort(of url: String) -> String {
        let afterScheme = url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first
        return afterScheme.map(String.init) ?? url
    }
}
