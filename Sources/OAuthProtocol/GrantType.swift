/// `grant_type` values the token endpoint understands.
public enum GrantType {
    public static let clientCredentials = "client_credentials"
    public static let authorizationCode = "authorization_code"
    public static let refreshToken = "refresh_token"
    public static let password = "password"
    /// RFC 8628's spelling; MSAL Python sends this.
    public static let deviceCode = "urn:ietf:params:oauth:grant-type:device_code"
    /// The short spelling MSAL Go and ADAL send.
    public static let deviceCodeShort = "device_code"
    public static let jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
}

/// The two protocol generations Entra serves side by side.
public enum EndpointVersion: String, Sendable, Hashable {
    /// `/oauth2/token`, `resource=`, string-typed numbers in responses.
    case v1
    /// `/oauth2/v2.0/token`, `scope=`, integers.
    case v2
}
