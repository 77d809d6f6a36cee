import Foundation

/// A read-through cache of the directory for the token endpoint's hot path.
///
/// Every entry is dropped when the store's ``DirectoryChangeFeed/directoryVersion()`` moves,
/// which any committed directory write does, from this process or another (the admin CLI).
/// The version is checked at most every `maximumStaleness`, so an admin change reaches token
/// issuance within that time (default one second; zero checks on every request).
public actor DirectoryView: TenantLookup {
    private let store: any IdentityStore
    private let clock: any IdentityClock
    private let maximumStaleness: TimeInterval

    private var version: Int64?
    private var lastCheck: Date = .distantPast
    private var tenants: [String: Tenant] = [:]
    private var clients: [String: ClientRecord] = [:]
    private var resources: [String: Application] = [:]
    private var groups: [String: [String]] = [:]

    public init(store: any IdentityStore, clock: any IdentityClock = SystemClock(), maximumStaleness: TimeInterval = 1) {
        self.store = store
        self.clock = clock
        self.maximumStaleness = maximumStaleness
    }

    /// Forgets everything (an in-process admin change, or a test).
    public func invalidate() {
        tenants = [:]
        clients = [:]
        resources = [:]
        groups = [:]
        version = nil
    }

    public func tenant(_ idOrName: String) async throws -> Tenant? {
        try await refreshIfNeeded()
        let key = idOrName.lowercased()
        if let cached = tenants[key] { return cached }
        let seen = version
        let found = try await TenantResolver(store: store).resolve(idOrName)
        if let found, seen == version { tenants[key] = found }
        return found
    }

    /// The client with its principal and credentials, or nil when no such app exists.
    public func client(tenantID: String, clientID: String) async throws -> ClientRecord? {
        try await refreshIfNeeded()
        guard let appID = ObjectID.canonical(clientID) else { return nil }
        let key = "\(tenantID)/\(appID)"
        if let cached = clients[key] { return cached }
        let seen = version
        guard let application = try await store.application(tenantID: tenantID, appID: appID) else { return nil }
        let record = ClientRecord(
            application: application,
            servicePrincipal: try await store.servicePrincipal(tenantID: tenantID, appID: appID),
            secrets: try await store.clientSecrets(tenantID: tenantID, appID: appID),
            certificates: try await store.certificates(tenantID: tenantID, appID: appID),
            federatedCredentials: try await store.federatedCredentials(tenantID: tenantID, appID: appID))
        // Only cache what was read under the version still current: a refresh that ran while
        // this read was suspended may have dropped the cache for a newer directory.
        if seen == version { clients[key] = record }
        return record
    }

    /// The resource app named by `identifier`: its app id (any case), an identifier URI, or
    /// ADAL's `spn:<app id>` form; nil when the tenant has none.
    public func resource(tenantID: String, identifier: String) async throws -> Application? {
        try await refreshIfNeeded()
        let key = "\(tenantID)/\(identifier)"
        if let cached = resources[key] { return cached }
        let seen = version
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
        if let found, seen == version { resources[key] = found }
        return found
    }

    /// Transitive group ids of a member.
    public func transitiveGroups(tenantID: String, memberID: String) async throws -> [String] {
        try await refreshIfNeeded()
        let key = "\(tenantID)/\(memberID)"
        if let cached = groups[key] { return cached }
        let seen = version
        let found = try await GroupMembershipResolver(store: store).transitiveGroupIDs(tenantID: tenantID, memberID: memberID)
        if seen == version { groups[key] = found }
        return found
    }

    private func refreshIfNeeded() async throws {
        let now = clock.now()
        guard now.timeIntervalSince(lastCheck) >= maximumStaleness else { return }
        let current = try await store.directoryVersion()
        lastCheck = now
        if current != version {
            tenants = [:]
            clients = [:]
            resources = [:]
            groups = [:]
            version = current
        }
    }
}
