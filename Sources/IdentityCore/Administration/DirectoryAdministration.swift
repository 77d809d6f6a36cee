import Foundation
import OAuthProtocol

/// The operator's verbs on the directory, for every front end (the CLI and the Graph admin API):
/// tenants here, every other aggregate (users, groups, applications, grants, clusters, role
/// assignments) in an extension file of its own.
///
/// Validation that spans objects (a member must exist; no membership cycles; tenant by id or
/// name) lives here, so every front end (CLI today, an admin API later) gets it.
public struct DirectoryAdministration: Sendable {
    let store: any IdentityStore
    let clock: any IdentityClock
    let hasher: SecretHasher
    let passwordHasher: PasswordHasher
    let audit: AuditTrail
    /// Named as the actor of every audit event these verbs record.
    let actor: AdministrationActor
    /// Seals clusters' local-account CA keys at rest (nil: PEM, as in tests).
    let keyEncryption: KeyEncryption?

    /// - Parameter passwordHasher: user passwords; OWASP-strength scrypt unless a test passes a cheaper one.
    /// - Parameter actor: who the calls act for; the command line unless an API says otherwise.
    public init(store: any IdentityStore, clock: any IdentityClock = SystemClock(), hasher: SecretHasher,
                passwordHasher: PasswordHasher = PasswordHasher(), actor: AdministrationActor = .commandLine,
                keyEncryption: KeyEncryption? = nil) {
        self.keyEncryption = keyEncryption
        self.store = store
        self.clock = clock
        self.hasher = hasher
        self.passwordHasher = passwordHasher
        self.audit = AuditTrail(store: store, clock: clock)
        self.actor = actor
    }

    /// Records an administrative change in the audit trail, naming ``actor``.
    func recordChange(_ kind: String, tenantID: String?, subject: String?, outcome: String = "success",
                      details: [String: String] = [:]) async {
        await audit.record(kind, tenantID: tenantID, outcome: outcome, actor: actor.name, subject: subject,
                           clientID: actor.clientID, details: details)
    }

    // MARK: Tenants

    /// Creates a tenant and registers the well-known AKS applications in it.
    public func createTenant(name: String, id: String? = nil) async throws -> Tenant {
        guard TenantName.isValid(name) else {
            throw AdministrationError.invalidArgument("tenant name '\(name)' is not valid: use letters, digits, '.' and '-' (1-64 characters), and not a GUID")
        }
        let tenantID: String
        if let id {
            guard let canonical = ObjectID.canonical(id) else {
                throw AdministrationError.invalidArgument("tenant id '\(id)' is not a GUID")
            }
            tenantID = canonical
        } else {
            tenantID = ObjectID.make()
        }
        let tenant = Tenant(id: tenantID, name: name, createdAt: clock.now())
        do {
            try await store.createTenant(tenant)
        } catch let error as StoreError where error.code == .alreadyExists {
            throw AdministrationError.alreadyExists("a tenant with id '\(tenantID)' or name '\(name)' already exists")
        }
        for (application, principal) in WellKnownRegistrations.make(tenantID: tenantID, now: tenant.createdAt) {
            try await store.createApplication(application, servicePrincipal: principal, secrets: [], certificates: [])
        }
        await recordChange("tenant.created", tenantID: tenant.id, subject: tenant.id, details: ["name": tenant.name])
        return tenant
    }

    public func listTenants() async throws -> [Tenant] {
        try await store.listTenants()
    }

    /// The tenant named by `idOrName` (a GUID in any case, or a name ignoring case).
    public func tenant(_ idOrName: String) async throws -> Tenant {
        if let tenant = try await TenantResolver(store: store).resolve(idOrName) { return tenant }
        throw AdministrationError.notFound("tenant '\(idOrName)' not found")
    }

    // MARK: Helpers shared by the extensions

    func requireGroup(tenantID: String, id: String) async throws -> Group {
        guard let objectID = ObjectID.canonical(id),
              let group = try await store.group(tenantID: tenantID, objectID: objectID) else {
            throw AdministrationError.notFound("group '\(id)' not found")
        }
        return group
    }

    func memberKind(tenantID: String, objectID: String) async throws -> GroupMembership.MemberKind? {
        if try await store.group(tenantID: tenantID, objectID: objectID) != nil { return .group }
        if try await store.servicePrincipal(tenantID: tenantID, objectID: objectID) != nil { return .servicePrincipal }
        if try await store.user(tenantID: tenantID, objectID: objectID) != nil { return .user }
        return nil
    }

    static func defaultMailNickname(for displayName: String) -> String {
        let allowed = displayName.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        return allowed.isEmpty ? "group" : String(allowed.prefix(64))
    }
}
