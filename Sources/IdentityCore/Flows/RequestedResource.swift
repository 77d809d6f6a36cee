import OAuthProtocol

/// The resource a token request asks for: v2 names it in `scope` as `<resource>/.default`,
/// v1 in `resource`.
struct RequestedResource: Equatable {
    /// The resource as written: an app id GUID, an identifier URI, or `spn:<app id>`.
    var identifier: String

    /// OIDC scopes that may ride along (MSAL Go adds them even to client credentials).
    static let oidcScopes: Set<String> = ["openid", "profile", "offline_access", "email"]

    static func parse(_ request: TokenRequest) throws -> RequestedResource {
        switch request.version {
        case .v1:
            return RequestedResource(identifier: try request.requireParameter("resource"))
        case .v2:
            if request.parameter("resource") != nil { throw OAuthError.resourceOnV2 }
            let scope = try request.requireParameter("scope")
            let resourceScopes = scope.split(separator: " ").map(String.init)
                .filter { !oidcScopes.contains($0.lowercased()) }
            guard !resourceScopes.isEmpty else {
                throw OAuthError.invalidScope(scope, "does not name a resource. Use '<resource>/.default'.")
            }
            let resources = Set(resourceScopes.map { scope -> String in
                scope.hasSuffix("/.default") ? String(scope.dropLast("/.default".count)) : scope
            })
            guard resources.count == 1, let only = resourceScopes.first else {
                throw OAuthError.multipleResources(scope)
            }
            guard only.hasSuffix("/.default"), only.count > "/.default".count else {
                throw OAuthError.scopeNeedsDefaultSuffix(only)
            }
            return RequestedResource(identifier: String(only.dropLast("/.default".count)))
        }
    }
}
