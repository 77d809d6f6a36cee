import Foundation
import IdentityCore
internal import GRDB

/// `kubeid db restore`: puts a backup in place of the store, in two steps so the caller can
/// refuse between them (a key-encryption key it does not have).
///
/// `init` copies the backup into a private temporary file beside the store and checks the copy
/// (SQLite's `quick_check`, kubeid's migration table, no migration newer than this binary); an
/// empty or foreign file fails here and nothing in the data directory has changed. `commit`
/// then keeps the store it replaces as `kubeid.sqlite.replaced-<time>` (its WAL folded into the
/// file first) and renames the checked copy over `kubeid.sqlite`, so the path names the old
/// store or the new one, never a mix. The caller must hold the data directory's serve lock: no
/// server may have the old store open (its pages would stay in its memory and its `-wal`).
public struct SQLiteRestore: Sendable {
    /// What the backup holds.
    public let summary: SQLiteStoreSummary
    let databasePath: String
    let temporary: String

    /// Copies and checks `backup`, to replace the store at `databasePath`.
    public init(backup: String, databasePath: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: backup, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw StoreError.notFound("there is no backup file \(backup)")
        }
        do {
            try PrivateFile.makeDirectory(DurableFile.directory(of: databasePath))
        } catch {
            throw StoreError.unavailable("\(error)")
        }
        let temporary = DurableFile.temporaryName(beside: databasePath, purpose: "restore")
        try DurableFile.createPrivate(temporary)
        do {
            try DurableFile.copy(backup, into: temporary)
            let copy = try DatabaseQueue(path: temporary)
            summary = try copy.writeWithoutTransaction { db in
                let summary = try SQLiteStoreSummary.read(db, path: backup)
                // A copy made with `sqlite3 .backup` of a WAL store is in WAL mode; the
                // renamed file must not depend on a -wal beside it.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                return summary
            }
            try copy.close()
            try DurableFile.sync(temporary)
        } catch {
            DurableFile.removeDatabase(temporary)
            if let error = error as? DatabaseError, error.resultCode == .SQLITE_NOTADB {
                throw StoreError.invalidData("\(backup) is not a kubeid store (not an SQLite database)")
            }
            throw SQLiteErrorMapping.storeError(from: error)
        }
        self.databasePath = databasePath
        self.temporary = temporary
    }

    /// Replaces the store with the checked copy. Returns the file the replaced store was kept
    /// as, nil when there was none.
    public func commit(at now: Date = Date()) throws -> String? {
        var replaced: String?
        do {
            if DurableFile.exists(databasePath) {
                let kept = "\(databasePath).replaced-\(Self.stamp(now))"
                try Self.foldWAL(of: databasePath)
                guard link(databasePath, kept) == 0 else {
                    throw StoreError.unavailable("cannot keep the current store as \(kept): \(DurableFile.errorText())")
                }
                // A -wal left beside a file restored under the same name would be replayed into
                // it; the companions (empty after the fold, or an unreadable store's) go with
                // the replaced file.
                for suffix in ["-wal", "-shm", "-journal"] where DurableFile.exists(databasePath + suffix) {
                    try DurableFile.move(databasePath + suffix, to: kept + suffix)
                }
                replaced = kept
            }
            try DurableFile.move(temporary, to: databasePath)
        } catch {
            discard()
            throw SQLiteErrorMapping.storeError(from: error)
        }
        return replaced
    }

    /// Removes the checked copy without restoring it.
    public func discard() {
        DurableFile.removeDatabase(temporary)
    }

    /// Checkpoints the store's WAL into its main file and switches it to a rollback journal, so
    /// the file is complete by itself. A store SQLite cannot read (the reason to restore, often)
    /// is kept as it is; one another process holds open is an error.
    private static func foldWAL(of path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(SQLiteIdentityStore.busyTimeout)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try queue.close()
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            return
        } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
            throw StoreError.conflict("another process has \(path) open; stop it (admin commands included) and restore again")
        }
    }

    private static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}
