import Foundation
import OAuthProtocol

/// Changes `app update` can make to a registration.
public struct ApplicationChanges: Sendable {
    /// Allow or forbid the resource-owner password grant (ROPC).
    public var isPasswordGrantEnabled: Bool?
    /// Allow or forbid a confidential client the authorization-code flow without PKCE.
    public var allowsCodeWithoutPKCE: Bool?
    public var addRedirectURIs: [String] = []
    public var removeRedirectURIs: [String] = []
    public var isPublicClient: Bool?
    public var displayName: String?

    public init(isPasswordGrantEnabled: Bool? = nil, addRedirectURIs: [String] = [], removeRedirectURIs: [String] = [],
                isPublicClient: Bool? = nil, displayName: String? = nil, allowsCodeWithoutPKCE: Bool? = nil) {
        self.displayName = displayName
        self.allowsCodeWithoutPKCE = allowsCodeWithoutPKCE
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
            throw AdministrationError.invalidArgument("\(field: "redirectUri") '\(uri)' is not allowed: use https://…, http://localhost[:port]/… or a private-use scheme, without '#' or '*'")
        }
    }

    /// Updates an application registration (by app id or service principal object id).
    public func updateApplication(tenant idOrName: String, id: String, changes: ApplicationChanges) async throws -> Application {
        let tenant = try await tenant(idOrName)
        let (application, principal) = try await requireServicePrincipal(tenantID: tenant.id, id: id)
        try Self.checkRedirectURIs(changes.addRedirectURIs)
        let name = try changes.displayName.map(Self.checkDisplayName)
        let updated = try await store.updateApplication(tenantID: tenant.id, appID: application.appID) { app in
            if let name { app.displayName = name }
            if let enabled = changes.isPasswordGrantEnabled { app.isPasswordGrantEnabled = enabled }
            if let isPublic = changes.isPublicClient { app.isPublicClient = isPublic }
            if let allowed = changes.allowsCodeWithoutPKCE { app.allowsCodeWithoutPKCE = allowed }
            if app.isPublicClient && app.allowsCodeWithoutPKCE {
                throw AdministrationError.invalidArgument("a public client always needs PKCE: \(field: "allowCodeWithoutPKCE") is for confidential clients")
            }
            app.redirectURIs.removeAll { changes.removeRedirectURIs.contains($0) }
            for uri in changes.addRedirectURIs where !app.redirectURIs.contains(uri) { app.redirectURIs.append(uri) }
        }
        if let name {
            try await store.updateServicePrincipal(tenantID: tenant.id, objectID: principal.objectID) { $0.displayName = name }
        }
        await recordChange("application.updated", tenantID: tenant.id, subject: application.appID,
                           details: ["passwordGrant": changes.isPasswordGrantEnabled.map { $0 ? "enabled" : "disabled" } ?? "unchanged",
                                     "codeWithoutPKCE": changes.allowsCodeWithoutPKCE.map { $0 ? "allowed" : "refused" } ?? "unchanged"])
        return updated
    }
}

/// Graph's own verbs on applications: delete, single secrets, the principal's sign-in switch.
extension DirectoryAdministration {
    /// Entra's limit on a secret's lifetime, and its default when none is asked for.
    static let maximumSecretLifetime: TimeInterval = 2 * 365 * 24 * 3600

    /// A secret added by `addPassword`: the stored record and the clear text, shown once.
    public struct AddedPassword: Sendable {
        public var credential: ClientSecretCredential
        public var secretText: String
    }

    /// Deletes the application (by app id or either object id), its service principal, its
    /// credentials and every grant and membership of the principal. Well-known applications
    /// (the AKS and Graph apps) cannot be deleted: every tenant needs them.
    public func deleteApplication(tenant idOrName: String, id: String) async throws {
        let tenant = try await tenant(idOrName)
        let (application, principal) = try await requireApplication(tenantID: tenant.id, id: id)
        guard !Self.wellKnownAppIDs.contains(application.appID) else {
            throw AdministrationError.notAllowed("'\(application.displayName)' is a built-in application and cannot be deleted")
        }
        try await store.deleteApplication(tenantID: tenant.id, appID: application.appID)
        await recordChange("application.deleted", tenantID: tenant.id, subject: application.appID,
                           details: ["displayName": application.displayName, "servicePrincipal": principal?.objectID ?? ""])
    }

    /// Adds one client secret (Graph's `addPassword`), keeping the others. `endDateTime`
    /// defaults to two years after `startDateTime` (now by default), Entra's default and limit.
    public func addPassword(tenant idOrName: String, id: String, startDateTime: Date? = nil,
                            endDateTime: Date? = nil) async throws -> AddedPassword {
        let tenant = try await tenant(idOrName)
        let (application, _) = try await requireApplication(tenantID: tenant.id, id: id)
        let now = clock.now()
        let start = startDateTime ?? now
        let end = endDateTime ?? start.addingTimeInterval(Self.maximumSecretLifetime)
        guard end > start, end.timeIntervalSince(start) <= Self.maximumSecretLifetime + 86400 else {
            throw AdministrationError(.invalidArgument, "\(field: "endDateTime") must be after startDateTime and at most two years later")
        }
        let secret = SecretHasher.generateSecret()
        let credential = ClientSecretCredential(id: ObjectID.make(), tenantID: tenant.id, appID: application.appID,
                                                secretHash: hasher.hash(secret), hint: String(secret.prefix(3)),
                                                createdAt: start, expiresAt: end)
        try await store.addClientSecret(credential)
        await recordChange("application.password-added", tenantID: tenant.id, subject: application.appID,
                           details: ["keyId": credential.id])
        return AddedPassword(credential: credential, secretText: secret)
    }

    /// Removes one client secret (Graph's `removePassword`).
    public func removePassword(tenant idOrName: String, id: String, keyID: String) async throws {
        let tenant = try await tenant(idOrName)
        let (application, _) = try await requireApplication(tenantID: tenant.id, id: id)
        do {
            try await store.deleteClientSecret(tenantID: tenant.id, appID: application.appID, id: ObjectID.canonical(keyID) ?? keyID)
        } catch let error as StoreError where error.code == .notFound {
            throw AdministrationError(.notFound, "No password credential with keyId '\(keyID)' exists on the application", field: "keyId")
        }
        await recordChange("application.password-removed", tenantID: tenant.id, subject: application.appID,
                           details: ["keyId": keyID])
    }

    /// Turns a service principal's sign-in on or off.
    public func setServicePrincipalEnabled(tenant idOrName: String, id: String, enabled: Bool) async throws -> ServicePrincipal {
        let tenant = try await tenant(idOrName)
        let (application, principal) = try await requireServicePrincipal(tenantID: tenant.id, id: id)
        let updated = try await store.updateServicePrincipal(tenantID: tenant.id, objectID: principal.objectID) {
            $0.accountEnabled = enabled
        }
        await recordChange(enabled ? "application.enabled" : "application.disabled", tenantID: tenant.id,
                           subject: application.appID)
        return updated
    }

    /// The application whose app id, registration object id or principal object id is `id`.
    func requireApplication(tenantID: String, id: String) async throws -> (Application, ServicePrincipal?) {
        if let canonical = ObjectID.canonical(id) {
            if let application = try await store.application(tenantID: tenantID, appID: canonical) {
                return (application, try await store.servicePrincipal(tenantID: tenantID, appID: canonical))
            }
            if let principal = try await store.servicePrincipal(tenantID: tenantID, objectID: canonical),
               let application = try await store.application(tenantID: tenantID, appID: principal.appID) {
                return (application, principal)
            }
            if let application = try await store.listApplications(tenantID: tenantID).first(where: { $0.objectID == canonical }) {
                return (application, try await store.servicePrincipal(tenantID: tenantID, appID: application.appID))
            }
        }
        throw AdministrationError.notFound("application '\(id)' not found (give its appId or object id)")
    }

    static let wellKnownAppIDs: Set<String> = [
        WellKnownApplications.aksServerAppID, WellKnownApplications.aksClientAppID,
        WellKnownApplications.graphAppID, WellKnownApplications.graphCommandLineToolsAppID,
    ]
}
