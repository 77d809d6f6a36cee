import OAuthProtocol

/// The resource and scopes a user flow asks for: v2 names them in `scope`
/// (`<resource>/.default` or `<resource>/<scope>`, plus OIDC scopes), v1 in `resource`.
public struct UserScope: Sendable, Equatable {
    /// The resource as written: app id, identifier URI, or `spn:<app id>`.
    public var resourceIdentifier: String
    /// Delegated scope names asked for explicitly (`user.read`), or nil for `.default`.
    public var delegatedScopes: [String]?
    /// `openid`, `profile`, `offline_access`, `email` as requested (lower case).
    public var oidcScopes: Set<String>
    /// The resource scopes exactly as the client wrote them (echoed in the response `scope`).
    public var requestedResourceScopes: [String]

    static let oidc: Set<String> = ["openid", "profile", "offline_access", "email"]

    /// Parses a v2 `scope` value.
    public static func parse(scope: String) throws -> UserScope {
        let items = scope.split(whereSeparator: { $0 == " " || $0 == "+" }).map(String.init)
        let oidcScopes = Set(items.map { $0.lowercased() }.filter(oidc.contains))
        let resourceScopes = items.filter { !oidc.contains($0.lowercased()) }
        guard !resourceScopes.isEmpty else {
            throw OAuthError.invalidScope(scope, "does not name a resource. Ask for '<resource>/.default'.")
        }
        var resources: Set<String> = []
        var delegated: [String] = []
        var usesDefault = false
        for item in resourceScopes {
            guard let slash = item.lastIndex(of: "/"), slash != item.startIndex,
                  item.index(after: slash) != item.endIndex else {
                throw OAuthError.invalidScope(scope, "names no resource for '\(item)'. Use '<resource>/<scope>' or '<resource>/.default'.")
            }
            resources.insert(String(item[..<slash]))
            let name = String(item[item.index(after: slash)...])
            if name == ".default" { usesDefault = true } else { delegated.append(name) }
        }
        guard resources.count == 1, let resource = resources.first else { throw OAuthError.multipleResources(scope) }
        return UserScope(resourceIdentifier: resource, delegatedScopes: usesDefault ? nil : delegated,
                         oidcScopes: oidcScopes, requestedResourceScopes: resourceScopes)
    }

    /// A v1 request: `resource` names the resource; the user flows behave as if OIDC was asked.
    public static func v1(resource: String) -> UserScope {
        UserScope(resourceIdentifier: resource, delegatedScopes: nil, oidcScopes: ["openid", "offline_access"],
                  requestedResourceScopes: ["\(resource)/.default"])
    }

    /// From a token-endpoint or `/authorize` request of either version.
    public static func parse(version: EndpointVersion, parameter: (String) -> String?) throws -> UserScope {
        switch version {
        case .v1:
            guard let resource = parameter("resource") else { throw OAuthError.missingParameter("resource") }
            return v1(resource: resource)
        case .v2:
            if parameter("resource") != nil { throw OAuthError.resourceOnV2 }
            guard let scope = parameter("scope") else { throw OAuthError.missingParameter("scope") }
            return try parse(scope: scope)
        }
    }

    /// The `scp` claim for `resource`: every exposed scope for `.default`, else the ones named,
    /// which must all be exposed.
    public func grantedScopes(of resource: Application) throws -> String {
        let exposed = resource.exposedScopes.isEmpty ? ["user_impersonation"] : resource.exposedScopes
        guard let delegatedScopes else { return exposed.joined(separator: " ") }
        var granted: [String] = []
        for name in delegatedScopes {
            guard let match = exposed.first(where: { $0.lowercased() == name.lowercased() }) else {
                throw OAuthError.invalidScope(name, "is not a scope that '\(resource.displayName)' exposes.")
            }
            granted.append(match)
        }
        return granted.joined(separator: " ")
    }

    /// The response `scope`: the resource scopes as requested plus the OIDC scopes asked for.
    public var responseScope: String {
        (requestedResourceScopes + Self.oidcOrder.filter(oidcScopes.contains)).joined(separator: " ")
    }

    /// What refresh tokens and codes remember: the scopes with the resource named by app id,
    /// so a later request can be checked against it whatever alias it uses.
    public func stored(resourceAppID: String) -> String {
        let resourcePart = delegatedScopes.map { $0.map { "\(resourceAppID)/\($0)" } } ?? ["\(resourceAppID)/.default"]
        return (resourcePart + Self.oidcOrder.filter(oidcScopes.contains)).joined(separator: " ")
    }

    static let oidcOrder = ["openid", "profile", "offline_access", "email"]
}
