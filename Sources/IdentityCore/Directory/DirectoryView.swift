import Foundation
import Synchronization

/// A read-through cache of the directory for the token endpoint's hot path.
///
/// Every entry is dropped when the store's ``DirectoryChangeFeed/directoryVersion()`` moves,
/// which any committed directory write does, from this process or another (the admin CLI).
/// The version is checked at most every `maximumStaleness`, so an admin change reaches token
/// issuance within that time (default one second; zero checks on every request).
///
/// A lock rather than an actor: every token request makes four lookups here, and a hit must
/// not suspend or hop threads. The lock is never held across a store read. kube-apiserver's
/// webhooks read their cluster, its role assignments and whether the principal is enabled here
/// too: a store read hops to the database's threads, which cost a webhook call more than its
/// decision.
public final class DirectoryView: TenantLookup, Sendable {
    private let store: any IdentityStore
    private let clock: any IdentityClock
    private let maximumStaleness: TimeInterval
    private let metrics: IssuerMetrics
    private let state = Mutex(State())

    private struct State {
        var version: Int64?
        var lastCheck: Date = .distantPast
        var tenants: [String: Tenant] = [:]
        var clients: [String: ClientRecord] = [:]
        var resources: [String: Application] = [:]
        var groups: [String: GroupClosure] = [:]
        var clusters: [String: Cluster] = [:]
        var roleAssignments: [String: [RoleAssignment]] = [:]
        var principalsEnabled: [String: Bool] = [:]
        var versionCheck: Task<Int64, any Error>?

        mutating func drop(newVersion: Int64?) {
            tenants = [:]
            clients = [:]
            resources = [:]
            groups = [:]
            clusters = [:]
            roleAssignments = [:]
            principalsEnabled = [:]
            version = newVersion
        }
    }

    public init(store: any IdentityStore, clock: any IdentityClock = SystemClock(), maximumStaleness: TimeInterval = 1,
                metrics: IssuerMetrics = .disabled) {
        self.metrics = metrics
        self.store = store
        self.clock = clock
        self.maximumStaleness = maximumStaleness
    }

    /// Forgets everything (an in-process admin change, or a test).
    public func invalidate() {
        state.withLock { $0.drop(newVersion: nil) }
    }

    /// The tenant a path segment names: its id (any case) or name.
    ///
    /// `common` and `organizations`, Entra's multi-tenant aliases, name the only tenant when
    /// there is exactly one, so a single-tenant installation works with clients that default to
    /// them (azure-identity's DeviceCodeCredential without a tenant id). With several
    /// tenants they stay unknown (AADSTS90002): kubeid does not pick a home tenant at sign-in.
    public func tenant(_ idOrName: String) async throws -> Tenant? {
        let key = idOrName.lowercased()
        let seen = try await refreshIfNeeded()
        if let cached = state.withLock({ $0.tenants[key] }) { return cached }
        var found = try await TenantResolver(store: store).resolve(idOrName)
        if found == nil, Self.multiTenantAliases.contains(key) {
            let tenants = try await store.listTenants()
            found = tenants.count == 1 ? tenants[0] : nil
        }
        if let found { remember(seen) { $0.tenants[key] = found } }
        return found
    }

    static let multiTenantAliases: Set<String> = ["common", "organizations"]

    /// The client with its principal and credentials, or nil when no such app exists.
    public func client(tenantID: String, clientID: String) async throws -> ClientRecord? {
        let seen = try await refreshIfNeeded()
        guard let appID = ObjectID.canonical(clientID) else { return nil }
        let key = "\(tenantID)/\(appID)"
        if let cached = state.withLock({ $0.clients[key] }) {
            metrics.directoryCache(hit: true)
            return cached
        }
        metrics.directoryCache(hit: false)
        guard let application = try await store.application(tenantID: tenantID, appID: appID) else { return nil }
        let record = ClientRecord(
            application: application,
            servicePrincipal: try await store.servicePrincipal(tenantID: tenantID, appID: appID),
            secrets: try await store.clientSecrets(tenantID: tenantID, appID: appID),
            certificates: try await store.certificates(tenantID: tenantID, appID: appID),
            federatedCredentials: try await store.federatedCredentials(tenantID: tenantID, appID: appID))
        remember(seen) { $0.clients[key] = record }
        return record
    }

    /// The resource app named by `identifier`: its app id (any case), an identifier URI, or
    /// ADAL's `spn:<app id>` form; nil when the tenant has none.
    public func resource(tenantID: String, identifier: String) async throws -> Application? {
        let seen = try await refreshIfNeeded()
        let key = "\(tenantID)/\(identifier)"
        if let cached = state.withLock({ $0.resources[key] }) { return cached }
        var name = identifier
        if name.lowercased().hasPrefix("spn:") { name = String(name.dropFirst(4)) }
        let found: Application?
        if let appID = ObjectID.canonical(name) {
            found = try await store.application(tenantID: tenantID, appID: appID)
        } else {
            var uri = name
            if let exact = try await store.application(tenantID: tenantID, identifierURI: uri) {
                found = exact
            } else {
                while uri.hasSuffix("/") { uri.removeLast() }
                found = try await store.application(tenantID: tenantID, identifierURI: uri)
            }
        }
        // Only identifiers that resolve, in a canonical short form (the app id or an identifier
        // URI as registered), and a bounded number of them: the raw text a client asked for is
        // attacker-sized (trailing slashes, any case of an app id).
        if let found, let canonical = Self.cacheKey(identifier, for: found) {
            remember(seen) { state in
                if state.resources.count >= Self.maximumResourceEntries { state.resources = [:] }
                state.resources["\(tenantID)/\(canonical)"] = found
            }
        }
        return found
    }

    static let maximumResourceEntries = 10_000

    /// The identifier as the cache may keep it: the resolved app's id or one of its registered
    /// identifier URIs exactly as asked; nil for any other spelling (not cached).
    static func cacheKey(_ identifier: String, for application: Application) -> String? {
        if identifier == application.appID { return identifier }
        if application.identifierURIs.contains(identifier) { return identifier }
        return nil
    }

    /// How many resource lookups are cached (tests).
    var cachedResourceCount: Int { state.withLock { $0.resources.count } }

    /// Transitive group ids of a member, now.
    public func transitiveGroups(tenantID: String, memberID: String) async throws -> [String] {
        try await groupClosure(tenantID: tenantID, memberID: memberID).groupIDs
    }

    /// Transitive groups of a member now, and when time-bound edges change that answer.
    ///
    /// An entry is used only before its ``GroupClosure/changesAt``: an activation that ends (or
    /// starts) involves no write, so the directory version alone would keep a stale answer.
    public func groupClosure(tenantID: String, memberID: String) async throws -> GroupClosure {
        let seen = try await refreshIfNeeded()
        let key = "\(tenantID)/\(memberID)"
        let now = clock.now()
        if let cached = state.withLock({ $0.groups[key] }), cached.changesAt.map({ now < $0 }) ?? true {
            metrics.directoryCache(hit: true)
            return cached
        }
        metrics.directoryCache(hit: false)
        let found = try await GroupMembershipResolver(store: store).closure(tenantID: tenantID, memberID: memberID, at: now)
        remember(seen) { $0.groups[key] = found }
        return found
    }

    /// The cluster `name` names in `tenantID` (its id, canonical), or nil. Only clusters that
    /// exist are kept, a bounded number of spellings of their names.
    public func cluster(tenantID: String, name: String) async throws -> Cluster? {
        let seen = try await refreshIfNeeded()
        let key = "\(tenantID)/\(name)"
        if let cached = state.withLock({ $0.clusters[key] }) { return cached }
        guard let found = try await store.cluster(tenantID: tenantID, name: name) else { return nil }
        remember(seen) { state in
            if state.clusters.count >= Self.maximumResourceEntries { state.clusters = [:] }
            state.clusters[key] = found
        }
        return found
    }

    /// The role assignments scoped to one cluster (or its namespaces).
    public func roleAssignments(tenantID: String, clusterObjectID: String) async throws -> [RoleAssignment] {
        let seen = try await refreshIfNeeded()
        let key = "\(tenantID)/\(clusterObjectID)"
        if let cached = state.withLock({ $0.roleAssignments[key] }) { return cached }
        let found = try await store.listRoleAssignments(tenantID: tenantID, clusterObjectID: clusterObjectID)
        remember(seen) { state in
            if state.roleAssignments.count >= Self.maximumResourceEntries { state.roleAssignments = [:] }
            state.roleAssignments[key] = found
        }
        return found
    }

    /// Whether the user (or, with `servicePrincipal`, the service principal) with object id
    /// `objectID` exists and is enabled.
    public func isEnabled(tenantID: String, objectID: String, servicePrincipal: Bool) async throws -> Bool {
        let seen = try await refreshIfNeeded()
        let key = "\(servicePrincipal ? "sp" : "user")/\(tenantID)/\(objectID)"
        if let cached = state.withLock({ $0.principalsEnabled[key] }) { return cached }
        let enabled = servicePrincipal
            ? try await store.servicePrincipal(tenantID: tenantID, objectID: objectID)?.accountEnabled ?? false
            : try await store.user(tenantID: tenantID, objectID: objectID)?.accountEnabled ?? false
        // Object ids come from verified tokens, so the keys are ours, but a large directory
        // still bounds the map.
        remember(seen) { state in
            if state.principalsEnabled.count >= Self.maximumPrincipalEntries { state.principalsEnabled = [:] }
            state.principalsEnabled[key] = enabled
        }
        return enabled
    }

    static let maximumPrincipalEntries = 200_000

    /// Caches what was read under `seen` only if that version is still current: a refresh that
    /// ran while the read was suspended may have dropped the cache for a newer directory.
    private func remember(_ seen: Int64?, _ update: (inout State) -> Void) {
        state.withLock { state in
            if state.version == seen { update(&state) }
        }
    }

    /// Checks the directory version when the last check is older than `maximumStaleness` and
    /// returns the version the cache now belongs to.
    ///
    /// One check runs at a time: requests arriving while it reads the store wait for it rather
    /// than each starting another read (under load that was a herd of store reads every second).
    /// The check applies its result before it finishes, so every waiter sees the new cache; a
    /// failed check applies nothing and the next request tries again.
    private func refreshIfNeeded() async throws -> Int64? {
        let now = clock.now()
        let pending: Task<Int64, any Error>? = state.withLock { state in
            if let running = state.versionCheck { return running }
            guard now.timeIntervalSince(state.lastCheck) >= maximumStaleness else { return nil }
            let check = Task { try await self.checkVersion(startedAt: now) }
            state.versionCheck = check
            return check
        }
        guard let pending else { return state.withLock { $0.version } }
        return try await pending.value
    }

    private func checkVersion(startedAt: Date) async throws -> Int64 {
        let current: Int64
        do {
            current = try await store.directoryVersion()
        } catch {
            state.withLock { $0.versionCheck = nil }
            throw error
        }
        return state.withLock { state in
            state.versionCheck = nil
            state.lastCheck = startedAt
            if current != state.version { state.drop(newVersion: current) }
            return current
        }
    }
}
