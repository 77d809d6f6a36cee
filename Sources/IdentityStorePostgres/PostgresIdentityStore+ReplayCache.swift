import Foundation
public import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: ReplayCache {
    public func recordOnce(namespace: String, id: String, expiresAt: Date, now: Date) async throws -> Bool {
        try await read { connection in
            // One statement decides, atomically across instances: a fresh id inserts; an expired
            // entry is overwritten; a live entry leaves the row untouched, so no row comes back
            // and the caller sees a replay.
            try await connection.changes("""
                INSERT INTO replay_entries (namespace, id, expires_at)
                VALUES (\(namespace), \(id), \(PostgresValues.timestamp(expiresAt)))
                ON CONFLICT (namespace, id) DO UPDATE SET expires_at = excluded.expires_at
                WHERE replay_entries.expires_at <= \(PostgresValues.timestamp(now))
                RETURNING 1
                """, self.queryLogger) == 1
        }
    }

    public func purgeExpiredReplayEntries(now: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        return try await read { connection in
            try await connection.count("""
                WITH doomed AS (
                    SELECT namespace, id FROM replay_entries WHERE expires_at <= \(PostgresValues.timestamp(now))
                    ORDER BY expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                deleted AS (
                    DELETE FROM replay_entries AS entries USING doomed
                    WHERE entries.namespace = doomed.namespace AND entries.id = doomed.id RETURNING 1)
                SELECT count(*) AS count FROM deleted
                """, self.queryLogger)
        }
    }
}
