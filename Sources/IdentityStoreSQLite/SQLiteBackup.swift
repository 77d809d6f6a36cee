import Foundation
import IdentityCore
internal import GRDB

/// `kubeid db backup`: a consistent copy of a live store through SQLite's online backup API
/// (https://www.sqlite.org/backup.html).
///
/// The copy is one read transaction on the source: in WAL mode readers never block writers, so a
/// running server keeps answering (and committing) while the pages are copied, and the copy is
/// the database as of the moment the transaction began, WAL contents included. A plain `cp` of
/// the main file would miss the commits still in `-wal` and could catch a checkpoint half done.
///
/// The copy is written to a private (0600) temporary file beside the destination, switched to
/// rollback journal mode so it is one self-contained file, checked (`quick_check`, the migration
/// table) and synced, then renamed over the destination: a reader of the destination path sees
/// the old backup or the new one, never a partial file.
public enum SQLiteBackup {
    /// Copies the store at `source` to `destination` and returns what the copy holds.
    public static func copy(databaseAt source: String, to destination: String) throws -> SQLiteStoreSummary {
        guard DurableFile.exists(source) else {
            throw StoreError.notFound("there is no SQLite store at \(source) to back up")
        }
        let target = URL(fileURLWithPath: destination).standardizedFileURL.path
        let directory = DurableFile.directory(of: target)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.notFound("the directory \(directory) of --to does not exist")
        }
        let live = [source, source + "-wal", source + "-shm"].map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
        guard !live.contains(URL(fileURLWithPath: target).resolvingSymlinksInPath().path) else {
            throw StoreError.conflict("--to \(destination) is the live store itself; choose another file")
        }

        let temporary = DurableFile.temporaryName(beside: target, purpose: "backup")
        try DurableFile.createPrivate(temporary)
        do {
            let summary = try copyPages(from: source, to: temporary)
            try DurableFile.sync(temporary)
            try DurableFile.move(temporary, to: target)
            return summary
        } catch {
            DurableFile.removeDatabase(temporary)
            throw SQLiteErrorMapping.storeError(from: error)
        }
    }

    private static func copyPages(from source: String, to temporary: String) throws -> SQLiteStoreSummary {
        var sourceConfiguration = Configuration()
        // A backup only reads the store; the busy timeout covers a checkpoint in progress.
        sourceConfiguration.readonly = true
        sourceConfiguration.busyMode = .timeout(SQLiteIdentityStore.busyTimeout)
        let sourceQueue = try DatabaseQueue(path: source, configuration: sourceConfiguration)
        // Refuse to copy something that is not a kubeid store (a wrong --data-dir).
        _ = try sourceQueue.read { db in try SQLiteStoreSummary.read(db, path: source) }

        let copy = try DatabaseQueue(path: temporary)
        // All pages in one step: one read transaction, so the copy is one consistent snapshot
        // even though the server goes on writing (https://www.sqlite.org/c3ref/backup_finish.html).
        try sourceQueue.backup(to: copy)
        try sourceQueue.close()
        let summary = try copy.writeWithoutTransaction { db in
            // The page copy carries the source's WAL mode; a backup is one file, so give it a
            // rollback journal (the server turns WAL back on when it opens a restored store).
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            return try SQLiteStoreSummary.read(db, path: temporary)
        }
        try copy.close()
        return summary
    }
}
