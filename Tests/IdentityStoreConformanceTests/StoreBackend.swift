import Foundation
import IdentityCore
import IdentityStoreSQLite

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

    /// The backends this machine can run; the argument list of every conformance test.
    static var available: [StoreBackend] {
        allCases.filter(\.isAvailable)
    }

    var isAvailable: Bool {
        switch self {
        case .sqliteFile, .sqliteMemory:
            true
        }
    }

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
