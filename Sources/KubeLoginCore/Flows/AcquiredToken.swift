/// A token a login mode obtained, with what the cache needs to reuse and refresh it.
public struct AcquiredToken: Sendable, Equatable {
    public var accessToken: String
    /// Seconds since 1970.
    public var expiresOn: Int64
    /// Present for user sign-ins (device code, browser, ROPC) when the server issued one.
    public var refreshToken: String?
    public var account: SignedInAccount?

    public init(accessToken: String, expiresOn: Int64, refreshToken: String? = nil, account: SignedInAccount? = nil) {
        self.accessToken = accessToken
        self.expiresOn = expiresOn
        self.refreshToken = refreshToken
        self.account = account
    }
}

/// Who signed in, from the id token and `client_info` (what azidentity's AuthenticationRecord keeps).
public struct SignedInAccount: Sendable, Equatable, Codable {
    /// `uid.utid` from `client_info`, else `oid.tid` from the id token.
    public var homeAccountID: String
    public var username: String
    public var tenantID: String
    /// The id token's `iss` host (`login.microsoftonline.com`, or kubeid's `host:port`).
    public var authority: String

    public init(homeAccountID: String, username: String, tenantID: String, authority: String) {
        self.homeAccountID = homeAccountID
        self.username = username
        self.tenantID = tenantID
        self.authority = authority
    }
}
