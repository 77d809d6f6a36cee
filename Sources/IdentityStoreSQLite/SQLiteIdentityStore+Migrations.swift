import Foundation
internal import GRDB

extension SQLiteIdentityStore {
    /// The identifiers of every migration this build knows, in order (GRDB's migrator's list).
    public static var knownMigrations: [String] { SQLiteMigrations.migrator.migrations }

    /// Which migrations the database file at `path` has applied and which this build would still
    /// apply, read without migrating (opening a store migrates, so `kubeid db status` must not
    /// open one). Nil when there is no file.
    public static func migrationStatus(path: String) throws -> (applied: [String], pending: [String])? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            var configuration = Configuration()
            configuration.label = "kubeid.store.status"
            configuration.busyMode = .timeout(busyTimeout)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let applied = try queue.read { db in try SQLiteMigrations.migrator.appliedMigrations(db) }
            return (applied, knownMigrations.filter { !applied.contains($0) })
        } catch {
            throw SQLiteErrorMapping.storeError(from: error)
        }
    }
}
