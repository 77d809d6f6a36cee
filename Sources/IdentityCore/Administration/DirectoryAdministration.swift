import Foundation
import OAuthProtocol

/// The operator's verbs on the directory: tenants, groups and memberships. Application and
/// credential verbs live in extensions of this type (one file per aggregate).
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

    // MARK: Groups

    public func createGroup(tenant idOrName: String, displayName: String, mailNickname: String?) async throws -> Group {
        let tenant = try await tenant(idOrName)
        let trimmed = displayName.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 256 else {
            throw AdministrationError.invalidArgument("--display-name must be 1-256 characters")
        }
        let nickname = mailNickname ?? Self.defaultMailNickname(for: trimmed)
        let group = Group(tenantID: tenant.id, objectID: ObjectID.make(), displayName: trimmed,
                          mailNickname: nickname, createdAt: clock.now())
        try await store.createGroup(group)
        await recordChange("group.created", tenantID: tenant.id, subject: group.objectID,
                           details: ["displayName": group.displayName])
        return group
    }

    /// Groups of the tenant, optionally filtered by an OData expression of the form
    /// `displayName eq 'Name'` (property name ignoring case, as `az ad group list --filter`).
    public func listGroups(tenant idOrName: String, filter: String? = nil) async throws -> [Group] {
        let tenant = try await tenant(idOrName)
        let groups = try await store.listGroups(tenantID: tenant.id)
        guard let filter else { return groups }
        let predicate = try GroupFilter(filter)
        return groups.filter(predicate.matches)
    }

    public func group(tenant idOrName: String, id: String) async throws -> Group {
        let tenant = try await tenant(idOrName)
        return try await requireGroup(tenantID: tenant.id, id: id)
    }

    /// Adds `memberID` (a user, group or service principal object id) to the group, refusing unknown members and membership cycles.
    public func addGroupMember(tenant idOrName: String, groupID: String, memberID: String) async throws {
        let tenant = try await tenant(idOrName)
        let group = try await requireGroup(tenantID: tenant.id, id: groupID)
        guard let member = ObjectID.canonical(memberID) else {
            throw AdministrationError.invalidArgument("--member-id '\(memberID)' is not an object id (GUID)")
        }
        guard let kind = try await memberKind(tenantID: tenant.id, objectID: member) else {
            throw AdministrationError.notFound("no user, group or service principal with object id '\(member)' in tenant '\(tenant.name)'")
        }
        if kind == .group,
           try await GroupMembershipResolver(store: store).wouldCreateCycle(tenantID: tenant.id, groupID: group.objectID,
                                                                           candidateMemberID: member) {
            throw AdministrationError.invalidArgument("adding group '\(member)' to '\(group.objectID)' would create a membership cycle")
        }
        do {
            try await store.addMember(GroupMembership(tenantID: tenant.id, groupID: group.objectID,
                                                      memberID: member, memberKind: kind))
        } catch let error as StoreError where error.code == .alreadyExists {
            throw AdministrationError.alreadyExists("'\(member)' is already a member of group '\(group.objectID)'")
        }
        await recordChange("group.member-added", tenantID: tenant.id, subject: group.objectID,
                           details: ["member": member, "memberKind": kind.rawValue])
    }

    public func removeGroupMember(tenant idOrName: String, groupID: String, memberID: String) async throws {
        let tenant = try await tenant(idOrName)
        let group = try await requireGroup(tenantID: tenant.id, id: groupID)
        let member = ObjectID.canonical(memberID) ?? memberID
        do {
            try await store.removeMember(tenantID: tenant.id, groupID: group.objectID, memberID: member)
        } catch let error as StoreError where error.code == .notFound {
            throw AdministrationError.notFound("'\(member)' is not a direct member of group '\(group.objectID)'")
        }
        await recordChange("group.member-removed", tenantID: tenant.id, subject: group.objectID, details: ["member": member])
    }

    public func listGroupMembers(tenant idOrName: String, groupID: String) async throws -> [GroupMembership] {
        let tenant = try await tenant(idOrName)
        let group = try await requireGroup(tenantID: tenant.id, id: groupID)
        return try await store.members(tenantID: tenant.id, groupID: group.objectID)
    }

    /// Transitive groups of any member, as tokens would carry them.
    public func transitiveGroups(tenant idOrName: String, memberID: String) async throws -> [String] {
        let tenant = try await tenant(idOrName)
        return try await GroupMembershipResolver(store: store)
            .transitiveGroupIDs(tenantID: tenant.id, memberID: ObjectID.canonical(memberID) ?? memberID)
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
