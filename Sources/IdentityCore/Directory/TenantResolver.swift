/// Finds the tenant a path segment or `--tenant` value names: a GUID (any case) or a name.
public struct TenantResolver: Sendable {
    private let store: any TenantStore

    public init(store: any TenantStore) {
        self.store = store
    }

    public func resolve(_ idOrName: String) async throws -> Tenant? {
        if let id = ObjectID.canonical(idOrName) {
            return try await store.tenant(id: id)
        }
        return try await store.tenant(named: idOrName)
    }
}
