import Foundation
import IdentityCore
import IdentityStoreSQLite
#if canImport(IdentityStorePostgres)
@_spi(Testing) import IdentityStorePostgres
#endif

/// The backends the conformance suite runs against. Every test takes one as its argument and
/// gets a fresh, empty store from it.
///
/// A new backend joins by adding a case, saying when it is available (PostgreSQL: only when
/// `KUBEID_TEST_POSTGRES_URL` is set, so a laptop without a server still runs the suite), and
/// making a fresh store in `makeStore()` (PostgreSQL: a new schema per test, dropped in
/// `cleanUp`). No test changes.
enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    /// A WAL database file in a fresh temporary directory: the production shape.
    case sqliteFile
    /// A private in-memory SQLite database.
    case sqliteMemory
    #if canImport(IdentityStorePostgres)
    /// A fresh schema in the PostgreSQL database `KUBEID_TEST_POSTGRES_URL` names (`make test`
    /// starts a private server and sets it); dropped after the test. (Conditional only so that
    /// scratch packages without the PostgreSQL target still build this suite.)
    case postgres
    #endif

    /// The backends this machine can run; the argument list of every conformance test.
    static var available: [StoreBackend] {
        allCases.filter(\.isAvailable)
    }

    var isAvailable: Bool {
        switch self {
        case .sqliteFile, .sqliteMemory:
            true
        #if canImport(IdentityStorePostgres)
        case .postgres:
            Self.postgresURL != nil
        #endif
        }
    }

    /// The server the `.postgres` backend uses, from `KUBEID_TEST_POSTGRES_URL`.
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["KUBEID_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    #if canImport(IdentityStorePostgres)
    /// A configuration for a new, uniquely named schema on the test server.
    static func freshPostgresConfiguration() throws -> PostgresStoreConfiguration {
        guard let url = postgresURL else { throw StoreError.unavailable("KUBEID_TEST_POSTGRES_URL is not set") }
        var configuration = try PostgresStoreConfiguration(url: url)
        configuration.schema = "kubeid_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // Tests run in parallel, each with its own pool: keep pools small and waits generous.
        // In a full `swift test` on two cores every test task competes for the CPU for a minute
        // or more, and the pool's connection set-up runs on the same cooperative threads.
        configuration.maximumConnections = 8
        configuration.connectionTimeout = 600
        return configuration
    }
    #endif

    var description: String { rawValue }

    /// A fresh, empty, migrated store and what removes it.
    func makeStore() async throws -> FreshStore {
        switch self {
        case .sqliteFile:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("kubeid-store-\(UUID().uuidString)", isDirectory: true)
            let store = try SQLiteIdentityStore(path: directory.appendingPathComponent("kubeid.sqlite").path)
            return FreshStore(store: store) {
                try? FileManager.default.removeItem(at: directory)
            }
        case .sqliteMemory:
            return FreshStore(store: try SQLiteIdentityStore.inMemory()) {}
        #if canImport(IdentityStorePostgres)
        case .postgres:
            let store = try await PostgresIdentityStore.open(try Self.freshPostgresConfiguration())
            return FreshStore(store: store) {
                try? await store.dropSchema()
                await store.close()
            }
        #endif
        }
    }
}

/// A store made for one test, with its clean-up.
struct FreshStore: Sendable {
    let store: any IdentityStore
    let cleanUp: @Sendable () async -> Void
}

/// Runs `body` with a fresh store of `backend`, then removes the store whatever happened.
func withFreshStore(_ backend: StoreBackend,
                    _ body: (any IdentityStore) async throws -> Void) async throws {
    let fresh = try await backend.makeStore()
    do {
        try await body(fresh.store)
    } catch {
        await fresh.cleanUp()
        throw error
    }
    await fresh.cleanUp()
}
