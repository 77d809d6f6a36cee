/// What kubectl is told about a token's lifetime.
///
/// client-go re-runs the plugin only once `status.expirationTimestamp` has passed, so the
/// timestamp is the token's `exp` minus 30 s: kubectl asks for a new token before the API
/// server would refuse the old one (clock skew, a request in flight at `exp`). The cache keeps
/// the real `exp` and its own reuse rule (``CachedTokenSource/reuseMargin``).
enum CredentialExpiry {
    static let kubectlLeadSeconds: Int64 = 30

    /// `status.expirationTimestamp` for a token that expires at `expiresOn` (seconds since 1970).
    static func expirationTimestamp(forTokenExpiringAt expiresOn: Int64) -> Int64 {
        expiresOn - kubectlLeadSeconds
    }
}
