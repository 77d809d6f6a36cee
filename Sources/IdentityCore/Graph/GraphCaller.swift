/// Who is calling the Graph admin API, established by ``GraphAuthenticator`` from a bearer
/// token: the tenant every object it sees belongs to, and what it may do there.
public struct GraphCaller: Sendable {
    public enum Kind: Sendable, Equatable {
        /// A service principal with application permissions (`roles`).
        case application(permissions: Set<String>)
        /// A person through a client, with delegated scopes (`scp`) and the directory roles
        /// they hold now (read from the directory, not the token's `wids` snapshot).
        case delegated(scopes: Set<String>, roleTemplateIDs: Set<String>)
    }

    public let tenant: Tenant
    /// The user's or service principal's object id.
    public let objectID: String
    /// The client the token was issued to (`appid`/`azp`).
    public let clientID: String
    public let kind: Kind
    /// The token's `amr` (how the person signed in): PIM's MFA-on-activation rule reads it.
    public let authenticationMethods: [String]

    public init(tenant: Tenant, objectID: String, clientID: String, kind: Kind, authenticationMethods: [String] = []) {
        self.tenant = tenant
        self.objectID = objectID
        self.clientID = clientID
        self.kind = kind
        self.authenticationMethods = authenticationMethods
    }

    /// Whether `rule` lets this caller through (``GraphAccessRule`` says how).
    public func isAllowed(_ rule: GraphAccessRule) -> Bool {
        if rule.applicationPermissions.isEmpty { return true }
        let names = rule.applicationPermissions.map { $0.name.lowercased() }
        switch kind {
        case .application(let permissions):
            return names.contains { permissions.contains($0) }
        case .delegated(let scopes, let roleTemplateIDs):
            guard names.contains(where: { scopes.contains($0) }) else { return false }
            guard let roles = rule.directoryRoles else { return true }
            return roles.contains { roleTemplateIDs.contains($0.templateID) }
        }
    }

    /// Holds the Global Administrator role (delegated), the one role that may change other
    /// administrators.
    public var isGlobalAdministrator: Bool {
        if case .delegated(_, let roles) = kind { return roles.contains(DirectoryRole.globalAdministrator.templateID) }
        return false
    }

    public var isApplication: Bool {
        if case .application = kind { return true }
        return false
    }

    /// Holds one of `roles` (delegated), or is an app: who may take PIM's admin actions, given
    /// the rule's permission.
    public func holdsAnyRole(_ roles: [DirectoryRole]) -> Bool {
        switch kind {
        case .application: return true
        case .delegated(_, let held): return roles.contains { held.contains($0.templateID) }
        }
    }

    /// The caller as PIM for groups sees it: an administrator when an app or a holder of a
    /// privileged role, else a person acting for themselves.
    public var privilegedAccessCaller: PrivilegedAccessCaller {
        PrivilegedAccessCaller(
            requestor: .init(kind: isApplication ? .application : .user, objectID: objectID),
            isAdministrator: holdsAnyRole([.globalAdministrator, .privilegedRoleAdministrator]),
            authenticationMethods: authenticationMethods, actor: actor)
    }

    /// How the audit trail names this caller.
    public var actor: AdministrationActor { .principal(objectID: objectID, clientID: clientID) }
}
