import Foundation
import IdentityCore
import IdentityStoreSQLite
import Testing

/// What only the SQLite file backend has: file modes, migrations on disk, and several
/// connections (standing in for the server and the admin CLI) on one file.
@Suite("SQLite file backend")
struct SQLiteFileTests {
    /// A fresh directory that does not exist yet, so the store has to create it.
    private static func withDatabasePath(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("kubeid-sqlite-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("data/kubeid.sqlite").path)
    }

    private static func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func filesArePrivate() async throws {
        try await Self.withDatabasePath { path in
            let store = try SQLiteIdentityStore(path: path)
            try await store.createTenant(Fixtures.tenant(name: "contoso"))
            #expect(try Self.mode(of: URL(fileURLWithPath: path).deletingLastPathComponent().path) == 0o700)
            for file in [path, path + "-wal", path + "-shm"] {
                #expect(FileManager.default.fileExists(atPath: file), "\(file) missing")
                #expect(try Self.mode(of: file) == 0o600, "\(file)")
            }
        }
    }

    /// Every migration this build knows, in order.
    private static let migrations = ["v1", "v2", "v3-application-password-grant", "v4-clusters", "v5-sign-in-log",
                                     "v6-graph-grants", "v7-cluster-audience",
                                     "v8-application-code-without-pkce", "v9-settings", "v10-privileged-access"]

    @Test func migrationsAreRecordedAndIdempotent() async throws {
        try await Self.withDatabasePath { path in
            let tenant = Fixtures.tenant(name: "contoso")
            do {
                let store = try SQLiteIdentityStore(path: path)
                #expect(try store.appliedMigrations() == Self.migrations)
                try await store.createTenant(tenant)
            }
            let reopened = try SQLiteIdentityStore(path: path)
            try reopened.migrate()
            #expect(try reopened.appliedMigrations() == Self.migrations)
            #expect(try await reopened.tenant(id: tenant.id) == tenant)
            #expect(try SQLiteIdentityStore.inMemory().appliedMigrations() == Self.migrations)
            #expect(SQLiteIdentityStore.knownMigrations == Self.migrations)
            #expect(try SQLiteIdentityStore.migrationStatus(path: path)?.pending == [])
        }
    }

    @Test func anotherConnectionSeesWritesAndTheirVersion() async throws {
        try await Self.withDatabasePath { path in
            let server = try SQLiteIdentityStore(path: path)
            let adminCLI = try SQLiteIdentityStore(path: path)
            let before = try await server.directoryVersion()

            try await adminCLI.createTenant(Fixtures.tenant(id: Fixtures.tenantID, name: "contoso"))
            let app = Fixtures.application(appID: "app", identifierURIs: ["api://app"])
            try await adminCLI.createApplication(app, servicePrincipal: nil, secrets: [], certificates: [])
            let afterCreate = try await server.directoryVersion()
            #expect(afterCreate != before)
            #expect(try await server.application(tenantID: Fixtures.tenantID, identifierURI: "api://app") == app)

            try await adminCLI.addClientSecret(Fixtures.secret(for: app))
            #expect(try await server.directoryVersion() != afterCreate)
            #expect(try await server.clientSecrets(tenantID: Fixtures.tenantID, appID: "app").count == 1)
            #expect(try await server.directoryVersion() == adminCLI.directoryVersion())
        }
    }

    @Test func rotationIsAtomicAcrossConnections() async throws {
        try await Self.withDatabasePath { path in
            let stores = try (0..<2).map { _ in try SQLiteIdentityStore(path: path) }
            try await stores[0].rotateSigningKey(expectedLatestKeyID: nil, newKey: Fixtures.signingKey("k0"),
                                                 retiredRemoveAfter: Fixtures.date(100))
            let successes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    let store = stores[index % 2]
                    group.addTask {
                        do {
                            try await store.rotateSigningKey(expectedLatestKeyID: "k0",
                                                             newKey: Fixtures.signingKey("k-\(index)"),
                                                             retiredRemoveAfter: Fixtures.date(100))
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(successes == 1)
            let replayWinners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    let store = stores[index % 2]
                    group.addTask {
                        try await store.recordOnce(namespace: "jti", id: "same", expiresAt: Fixtures.date(60),
                                                   now: Fixtures.date(0))
                    }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(replayWinners == 1)
        }
    }

    @Test func aFileThatIsNotADatabaseIsInvalidData() async throws {
        try await Self.withDatabasePath { path in
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))
            #expect(throws: StoreError.invalidData) { try SQLiteIdentityStore(path: path) }
        }
    }
}
