/// Upstream's `Validate`, in its order: login method → authority host → PoP pairing → timeout.
extension TokenOptions {
    public func validate() throws {
        guard loginMode != nil else { throw KubeLoginError.unsupportedLogin(loginMethod) }
        if !authorityHost.isEmpty { try Self.validateAuthorityHost(authorityHost) }
        if isPoPEnabled && popClaims.isEmpty { throw KubeLoginError.popClaimsMissing }
        if !popClaims.isEmpty && !isPoPEnabled { throw KubeLoginError.popEnabledMissing }
        guard timeout > .zero else { throw KubeLoginError.timeoutNotPositive }
    }

    /// An absolute URL with a host, ending in `/` (the tenant is appended to it as is).
    static func validateAuthorityHost(_ host: String) throws {
        let quoted = GoQuote.quote(host)
        guard host.hasPrefix("/") || host.contains("://") || host.contains(":") else {
            throw KubeLoginError("authority host \(quoted) is not valid: parse \(quoted): invalid URI for request")
        }
        guard let schemeEnd = host.range(of: "://"), !host[..<schemeEnd.lowerBound].isEmpty else {
            throw KubeLoginError("authority host \(quoted) is not valid")
        }
        let afterScheme = host[schemeEnd.upperBound...]
        let hostPart = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !hostPart.isEmpty else { throw KubeLoginError("authority host \(quoted) is not valid") }
        guard host.hasSuffix("/") else { throw KubeLoginError("authority host \(quoted) should have a trailing slash") }
    }
}
