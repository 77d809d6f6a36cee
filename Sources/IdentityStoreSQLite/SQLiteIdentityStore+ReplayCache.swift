import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: ReplayCache {
    public func recordOnce(namespace: String, id: String, expiresAt: Date, now: Date) async throws -> Bool {
        try await write { db in
            // One statement decides: a fresh id inserts; an expired entry is overwritten; a live
            // entry leaves the row untouched, so no row changes and the caller sees a replay.
            try db.execute(sql: """
                INSERT INTO replay_entries (namespace, id, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (namespace, id) DO UPDATE SET expires_at = excluded.expires_at
                WHERE replay_entries.expires_at <= ?
                """, arguments: [namespace, id, SQLiteValues.milliseconds(expiresAt), SQLiteValues.milliseconds(now)])
            return db.changesCount == 1
        }
    }

    public func purgeExpiredReplayEntries(now: Date, limit: Int) async throws -> Int {
        // SQLite reads a negative LIMIT as "no limit"; the contract says at most `limit`.
        guard limit > 0 else { return 0 }
        return try await write { db in
            try db.execute(sql: """
                DELETE FROM replay_entries WHERE rowid IN (
                    SELECT rowid FROM replay_entries WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)
                """, arguments: [SQLiteValues.milliseconds(now), limit])
            return db.changesCount
        }
    }
}
