/// The store's schema as this build expects it, for readiness: an instance whose database lacks
/// migrations this build relies on must not take traffic.
public protocol StoreSchema: Sendable {
    /// Migrations this build knows and the database has not applied (empty when current).
    func pendingMigrations() async throws -> [String]
}
