import Foundation

/// Changes `app update` can make to a registration.
public struct ApplicationChanges: Sendable {
    /// Allow or forbid the resource-owner password grant (ROPC).
    public var isPasswordGrantEnabled: Bool?
    public var addRedirectURIs: [String] = []
    public var removeRedirectURIs: [String] = []
    public var isPublicClient: Bool?

    public init(isPasswordGrantEnabled: Bool? = nil, addRedirectURIs: [String] = [], removeRedirectURIs: [String] = [],
                isPublicClient: Bool? = nil) {
        self.isPasswordGrantEnabled = isPasswordGrantEnabled
        self.addRedirectURIs = addRedirectURIs
        self.removeRedirectURIs = removeRedirectURIs
        self.isPublicClient = isPublicClient
    }
}

extension DirectoryAdministration {
    /// Redirect URIs must be absolute, without fragment or wildcard; `http` only for loopback
    /// (RFC 8252), everything else `https` or a private-use scheme.
    static func checkRedirectURIs(_ uris: [String]) throws {
        for uri in uris where !RedirectURIPolicy.isRegistrable(uri) {
            throw AdministrationError.invalidArgument("--redirect-uri '\(uri)' is not allowed: use https://…, http://localhost[:port]/… or a private-use scheme, without '#' or '*'")
        }
    }

    /// Updates an application registration (by app id or service principal object id).
    public func updateApplication(tenant idOrName: String, id: String, changes: ApplicationChanges) async throws -> Application {
        let tenant = try await tenant(idOrName)
        let (application, _) = try await requireServicePrincipal(tenantID: tenant.id, id: id)
        try Self.checkRedirectURIs(changes.addRedirectURIs)
        let updated = try await store.updateApplication(tenantID: tenant.id, appID: application.appID) { app in
            if let enabled = changes.isPasswordGrantEnabled { app.isPasswordGrantEnabled = enabled }
            if let isPublic = changes.isPublicClient { app.isPublicClient = isPublic }
            app.redirectURIs.removeAll { changes.removeRedirectURIs.contains($0) }
            for uri in changes.addRedirectURIs where !app.redirectURIs.contains(uri) { app.redirectURIs.append(uri) }
        }
        await recordChange("application.updated", tenantID: tenant.id, subject: application.appID,
                           details: ["passwordGrant": changes.isPasswordGrantEnabled.map { $0 ? "enabled" : "disabled" } ?? "unchanged"])
        return updated
    }
}
