/// One cached token, as stored in `<cache-dir>/tokens/<key>.json` (mode 0600).
///
/// The refresh token is stored here in plain JSON: the file is private to the user, like
/// int128/kubelogin's disk cache, and this is what makes the cache work in containers and CI
/// where no keyring exists (upstream #642, #762).
public struct TokenCacheEntry: Sendable, Equatable, Codable {
    public var version = 1
    public var key: TokenCacheKey
    public var accessToken: String
    /// Seconds since 1970.
    public var expiresOn: Int64
    public var refreshToken: String?
    public var account: SignedInAccount?

    public init(key: TokenCacheKey, token: AcquiredToken) {
        self.key = key
        self.accessToken = token.accessToken
        self.expiresOn = token.expiresOn
        self.refreshToken = token.refreshToken
        self.account = token.account
    }

    public var token: AcquiredToken {
        AcquiredToken(accessToken: accessToken, expiresOn: expiresOn, refreshToken: refreshToken, account: account)
    }
}
