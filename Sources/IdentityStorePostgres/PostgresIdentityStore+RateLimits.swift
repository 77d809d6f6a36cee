import Foundation
public import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: RateLimitStore {
    @discardableResult
    public func updateRateLimit(key: String, now: Date,
                                _ change: @Sendable (inout RateLimitState?) throws -> Void) async throws -> RateLimitState? {
        try await withoutActuallyEscaping(change) { change in
            try await transaction { connection in
                // Make sure a row exists to lock, then lock it: concurrent updates of one key (from
                // any instance) queue on the row lock, so 50 concurrent increments count 50. The
                // placeholder expires at `now`, so it reads as absent; it is rolled back with the
                // transaction if `change` throws.
                try await connection.run("""
                    INSERT INTO rate_limits (key, count, window_start, locked_until, lockouts, expires_at)
                    VALUES (\(key), 0, \(PostgresValues.timestamp(now)), NULL, 0, \(PostgresValues.timestamp(now)))
                    ON CONFLICT (key) DO NOTHING
                    """, self.queryLogger)
                let row = try await connection.row("SELECT * FROM rate_limits WHERE key = \(key) FOR UPDATE",
                                                   self.queryLogger)
                var state = try row.flatMap { try Self.rateLimit(from: $0, now: now) }
                try change(&state)
                if let state {
                    try await connection.run("""
                        UPDATE rate_limits SET count = \(state.count),
                            window_start = \(PostgresValues.timestamp(state.windowStart)),
                            locked_until = \(PostgresValues.timestamp(state.lockedUntil)), lockouts = \(state.lockouts),
                            expires_at = \(PostgresValues.timestamp(state.expiresAt))
                        WHERE key = \(key)
                        """, self.queryLogger)
                } else {
                    try await connection.run("DELETE FROM rate_limits WHERE key = \(key)", self.queryLogger)
                }
                return state
            }
        }
    }

    public func rateLimit(key: String, now: Date) async throws -> RateLimitState? {
        try await read { connection in
            try await connection.row("SELECT * FROM rate_limits WHERE key = \(key)", self.queryLogger)
                .flatMap { try Self.rateLimit(from: $0, now: now) }
        }
    }

    public func deleteExpiredRateLimits(now: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        return try await read { connection in
            try await connection.count("""
                WITH doomed AS (
                    SELECT key FROM rate_limits WHERE expires_at <= \(PostgresValues.timestamp(now))
                    ORDER BY expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                deleted AS (
                    DELETE FROM rate_limits USING doomed WHERE rate_limits.key = doomed.key RETURNING 1)
                SELECT count(*) AS count FROM deleted
                """, self.queryLogger)
        }
    }

    /// The state, or nil when it has expired at `now` (the contract: expired reads as absent).
    static func rateLimit(from row: PostgresColumns, now: Date) throws -> RateLimitState? {
        let expiresAt = try row.date("expires_at")
        guard expiresAt > now else { return nil }
        return RateLimitState(count: try row.int("count"), windowStart: try row.date("window_start"),
                              lockedUntil: try row.optionalDate("locked_until"), lockouts: try row.int("lockouts"),
                              expiresAt: expiresAt)
    }
}
