/// Tenants.
///
/// Contract for every backend: names compare case-insensitively and are unique; ids are stored
/// and returned lower-case. "Not found" is a `nil` return, never an error, for lookups.
public protocol TenantStore: Sendable {
    /// Inserts `tenant`. Throws `StoreError.alreadyExists` if the id or the name (ignoring case) is taken.
    func createTenant(_ tenant: Tenant) async throws
    /// The tenant with this id, or nil.
    func tenant(id: String) async throws -> Tenant?
    /// The tenant with this name (ignoring case), or nil.
    func tenant(named name: String) async throws -> Tenant?
    /// Every tenant, ordered by name (ignoring case).
    func listTenants() async throws -> [Tenant]
}
