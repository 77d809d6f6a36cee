import Foundation
import IdentityCore
internal import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The identity store on SQLite: the embedded default for a single `kubeid serve` process and
/// the admin commands that run beside it on the same file.
///
/// A file database opens as a WAL-mode pool, so readers (the token endpoint) never wait for a
/// writer and another process (the admin CLI) may write at the same time; every write runs in an
/// IMMEDIATE transaction, so a read-then-write step (key rotation, replay check) is atomic across
/// processes. GRDB stays behind this type: nothing in the public API names it, and every GRDB
/// error is mapped to ``StoreError`` (see `SQLiteErrorMapping`).
///
/// Dates are stored as integer milliseconds since 1970 (UTC); sub-millisecond parts are rounded
/// to the nearest millisecond.
public final class SQLiteIdentityStore: StoreSchema {
    /// How long a writer waits for another connection's (or process's) write lock before the
    /// operation fails with `StoreError.unavailable`.
    static let busyTimeout: TimeInterval = 5

    /// The connection (pool for a file, queue for memory). Internal so the aggregate extensions
    /// in this module can use it; never exposed.
    let database: any DatabaseWriter
    /// The file whose exclusive `flock` serialises migrations across processes; nil in memory.
    private let migrationLockPath: String?
    /// Operation latency and errors (`backend="sqlite"`).
    let metrics: StoreMetrics

    /// Opens (creating if needed) the database file at `path` and applies pending migrations.
    ///
    /// The file and its `-wal`/`-shm` companions are made mode 0600 because they hold private
    /// signing keys and secret hashes; a missing parent directory is created with mode 0700.
    ///
    /// Any number of processes may open a fresh file at once (`serve` and an admin command
    /// started together by a provisioning script): migrations run under an exclusive lock on
    /// `<path>.migrate-lock`, the others wait for it and then find nothing left to do.
    public convenience init(path: String, metrics: StoreMetrics = .disabled(backend: "sqlite")) throws {
        do {
            try Self.prepareDatabaseFile(at: path)
            let lockPath = path + ".migrate-lock"
            let pool = try Self.withMigrationLock(lockPath) {
                try DatabasePool(path: path, configuration: Self.configuration())
            }
            try self.init(database: pool, migrationLockPath: lockPath, metrics: metrics)
            try Self.restrictPermissions(ofDatabaseAt: path)
        } catch {
            throw SQLiteErrorMapping.storeError(from: error)
        }
    }

    /// A private in-memory database (no shared cache, gone when the store is released); for
    /// tests and throwaway runs.
    public static func inMemory() throws -> SQLiteIdentityStore {
        do {
            return try SQLiteIdentityStore(database: DatabaseQueue(configuration: configuration()), migrationLockPath: nil,
                                           metrics: .disabled(backend: "sqlite"))
        } catch {
            throw SQLiteErrorMapping.storeError(from: error)
        }
    }

    private init(database: any DatabaseWriter, migrationLockPath: String?, metrics: StoreMetrics) throws {
        self.database = database
        self.migrationLockPath = migrationLockPath
        self.metrics = metrics
        try migrate()
    }

    /// Applies every migration not yet applied. Safe to call again, from any number of
    /// processes at once; `init` already calls it.
    public func migrate() throws {
        do {
            // GRDB's migrator checks what is applied and then applies the rest, one transaction
            // per migration: two processes could both see a migration pending. The lock makes
            // the check and the migrations one step.
            if let migrationLockPath {
                try Self.withMigrationLock(migrationLockPath) { try SQLiteMigrations.migrator.migrate(database) }
            } else {
                try SQLiteMigrations.migrator.migrate(database)
            }
        } catch {
            throw SQLiteErrorMapping.storeError(from: error)
        }
    }

    /// Runs `body` holding the cross-process migration lock on `lockPath` (created 0600).
    private static func withMigrationLock<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
        do {
            return try CrossProcessLock.withExclusiveLock(on: lockPath, body)
        } catch let error as PrivateFile.Failure {
            throw StoreError.unavailable("\(error)")
        }
    }

    /// The identifiers of the applied migrations, in the order they were applied.
    public func appliedMigrations() throws -> [String] {
        do {
            return try database.read { db in try SQLiteMigrations.migrator.appliedMigrations(db) }
        } catch {
            throw SQLiteErrorMapping.storeError(from: error)
        }
    }

    /// The migrations this build knows that the database has not applied. Does not migrate.
    public func pendingMigrations() async throws -> [String] {
        let applied = Set(try appliedMigrations())
        return Self.knownMigrations.filter { !applied.contains($0) }
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.label = "kubeid.store"
        // Membership edges and credentials must not outlive their group or application.
        configuration.foreignKeysEnabled = true
        // Another process (the admin CLI) may hold the write lock briefly; wait rather than fail.
        configuration.busyMode = .timeout(busyTimeout)
        return configuration
    }

    /// Creates the parent directory (0700) and an empty database file (0600) before SQLite opens
    /// it, both by the creating system call (`mkdir`/`open` with the mode), so the file never
    /// exists with the umask's wider default mode.
    private static func prepareDatabaseFile(at path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try PrivateFile.makeDirectory(directory)
        } catch {
            throw StoreError.unavailable("\(error)")
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw StoreError.unavailable("cannot create database file \(path) (errno \(errno))")
        }
        close(descriptor)
    }

    /// SQLite gives the WAL and shared-memory files the main file's mode, but a file created by
    /// an older version or by hand may be wider: tighten all three, and fail rather than serve
    /// keys from a file others can read.
    private static func restrictPermissions(ofDatabaseAt path: String) throws {
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard lstat(file, &status) == 0 else { continue }  // no -wal/-shm yet
            guard status.st_mode & 0o077 != 0 else { continue }
            guard chmod(file, 0o600) == 0 else {
                throw StoreError.unavailable("\(file) is readable by others and cannot be made 0600 (errno \(errno))")
            }
        }
    }
}
