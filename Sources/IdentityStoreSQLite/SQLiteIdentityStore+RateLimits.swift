import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: RateLimitStore {
    @discardableResult
    public func updateRateLimit(key: String, now: Date,
                                _ change: @Sendable (inout RateLimitState?) throws -> Void) async throws -> RateLimitState? {
        // One IMMEDIATE transaction from the read to the write, so concurrent increments of one
        // key (from any instance on this file) serialise and none is lost.
        try await write { db in
            let old = try Self.fetchRateLimit(key: key, now: now, db)
            var new = old
            try change(&new)
            guard let new else {
                // Also clears an expired row, which `old` reported as nil.
                try db.execute(sql: #"DELETE FROM rate_limits WHERE "key" = ?"#, arguments: [key])
                return nil
            }
            guard new != old else { return new }
            try db.execute(sql: """
                INSERT INTO rate_limits ("key", count, window_start, locked_until, lockouts, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT ("key") DO UPDATE SET count = excluded.count, window_start = excluded.window_start,
                    locked_until = excluded.locked_until, lockouts = excluded.lockouts,
                    expires_at = excluded.expires_at
                """, arguments: [key, new.count, SQLiteValues.milliseconds(new.windowStart),
                                 SQLiteValues.milliseconds(new.lockedUntil), new.lockouts,
                                 SQLiteValues.milliseconds(new.expiresAt)])
            return new
        }
    }

    public func rateLimit(key: String, now: Date) async throws -> RateLimitState? {
        try await read { db in try Self.fetchRateLimit(key: key, now: now, db) }
    }

    public func deleteExpiredRateLimits(now: Date, limit: Int) async throws -> Int {
        // SQLite reads a negative LIMIT as "no limit"; the contract says at most `limit`.
        guard limit > 0 else { return 0 }
        return try await write { db in
            try db.execute(sql: """
                DELETE FROM rate_limits WHERE rowid IN (
                    SELECT rowid FROM rate_limits WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)
                """, arguments: [SQLiteValues.milliseconds(now), limit])
            return db.changesCount
        }
    }

    // MARK: Rows

    /// The live state: a row whose `expires_at` is at or before `now` counts as absent.
    static func fetchRateLimit(key: String, now: Date, _ db: Database) throws -> RateLimitState? {
        try Row.fetchOne(db, sql: #"SELECT * FROM rate_limits WHERE "key" = ? AND expires_at > ?"#,
                         arguments: [key, SQLiteValues.milliseconds(now)]).map(rateLimit(from:))
    }

    static func rateLimit(from row: Row) throws -> RateLimitState {
        RateLimitState(count: try row.int("count"), windowStart: try row.date("window_start"),
                       lockedUntil: try row.optionalDate("locked_until"), lockouts: try row.int("lockouts"),
                       expiresAt: try row.date("expires_at"))
    }
}
