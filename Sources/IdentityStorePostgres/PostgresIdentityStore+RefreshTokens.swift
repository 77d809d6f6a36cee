import Foundation
public import IdentityCore
internal import Logging
internal import PostgresNIO

extension PostgresIdentityStore: RefreshTokenStore {
    public func createRefreshToken(_ token: RefreshTokenRecord) async throws {
        try await read { connection in
            try await connection.run("""
                INSERT INTO refresh_tokens (id, token_hash, family_id, tenant_id, client_id, user_object_id, scope,
                    authenticated_at, authentication_methods, created_at, last_used_at, expires_at, state, rotated_at,
                    successor_id)
                VALUES (\(token.id), \(PostgresValues.bytes(token.tokenHash)), \(token.familyID), \(token.tenantID),
                    \(token.clientID), \(token.userObjectID), \(token.scope),
                    \(PostgresValues.timestamp(token.authenticatedAt)), \(token.authenticationMethods),
                    \(PostgresValues.timestamp(token.createdAt)), \(PostgresValues.timestamp(token.lastUsedAt)),
                    \(PostgresValues.timestamp(token.expiresAt)), \(token.state.rawValue),
                    \(PostgresValues.timestamp(token.rotatedAt)), \(token.successorID))
                """, self.queryLogger)
        }
    }

    public func refreshToken(tokenHash: [UInt8]) async throws -> RefreshTokenRecord? {
        try await read { connection in
            try await connection.row("SELECT * FROM refresh_tokens WHERE token_hash = \(PostgresValues.bytes(tokenHash))",
                                     self.queryLogger).map(Self.refreshToken(from:))
        }
    }

    public func refreshToken(id: String) async throws -> RefreshTokenRecord? {
        try await read { connection in
            try await Self.fetchRefreshToken(id: id, lock: false, connection, self.queryLogger)
        }
    }

    @discardableResult
    public func updateRefreshToken(id: String,
                                   _ change: @Sendable (inout RefreshTokenRecord) throws -> Void) async throws -> RefreshTokenRecord {
        // The rotation compare-and-swap: FOR UPDATE makes concurrent updates of one token (from
        // any instance) wait for each other, and each then reads the committed result of the one
        // before, so a closure that requires `state == .active` succeeds exactly once.
        try await withoutActuallyEscaping(change) { change in
            try await transaction { connection in
                guard let old = try await Self.fetchRefreshToken(id: id, lock: true, connection, self.queryLogger) else {
                    throw StoreError.notFound("no refresh token \(id)")
                }
                var new = old
                try change(&new)
                new.id = old.id
                new.tokenHash = old.tokenHash
                guard new != old else { return old }
                try await connection.run("""
                    UPDATE refresh_tokens SET family_id = \(new.familyID), tenant_id = \(new.tenantID), client_id = \(new.clientID),
                        user_object_id = \(new.userObjectID), scope = \(new.scope),
                        authenticated_at = \(PostgresValues.timestamp(new.authenticatedAt)),
                        authentication_methods = \(new.authenticationMethods),
                        created_at = \(PostgresValues.timestamp(new.createdAt)),
                        last_used_at = \(PostgresValues.timestamp(new.lastUsedAt)),
                        expires_at = \(PostgresValues.timestamp(new.expiresAt)), state = \(new.state.rawValue),
                        rotated_at = \(PostgresValues.timestamp(new.rotatedAt)), successor_id = \(new.successorID)
                    WHERE id = \(id)
                    """, self.queryLogger)
                return new
            }
        }
    }

    @discardableResult
    public func revokeRefreshTokenFamily(familyID: String, now: Date) async throws -> Int {
        try await read { connection in
            try await connection.changes("""
                UPDATE refresh_tokens SET state = 'revoked' WHERE family_id = \(familyID) AND state <> 'revoked'
                RETURNING 1
                """, self.queryLogger)
        }
    }

    @discardableResult
    public func revokeRefreshTokens(tenantID: String, userObjectID: String, now: Date) async throws -> Int {
        try await read { connection in
            try await connection.changes("""
                UPDATE refresh_tokens SET state = 'revoked'
                WHERE tenant_id = \(tenantID) AND user_object_id = \(userObjectID) AND state <> 'revoked'
                RETURNING 1
                """, self.queryLogger)
        }
    }

    public func refreshTokens(tenantID: String, userObjectID: String) async throws -> [RefreshTokenRecord] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM refresh_tokens WHERE tenant_id = \(tenantID) AND user_object_id = \(userObjectID)
                ORDER BY created_at DESC, id
                """, self.queryLogger).map(Self.refreshToken(from:))
        }
    }

    public func deleteExpiredRefreshTokens(now: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        return try await read { connection in
            try await connection.count("""
                WITH doomed AS (
                    SELECT id FROM refresh_tokens WHERE expires_at <= \(PostgresValues.timestamp(now))
                    ORDER BY expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                deleted AS (
                    DELETE FROM refresh_tokens USING doomed WHERE refresh_tokens.id = doomed.id RETURNING 1)
                SELECT count(*) AS count FROM deleted
                """, self.queryLogger)
        }
    }

    static func fetchRefreshToken(id: String, lock: Bool, _ connection: PostgresConnection,
                                  _ logger: Logger) async throws -> RefreshTokenRecord? {
        let query: PostgresQuery = lock
            ? "SELECT * FROM refresh_tokens WHERE id = \(id) FOR UPDATE"
            : "SELECT * FROM refresh_tokens WHERE id = \(id)"
        return try await connection.row(query, logger).map(refreshToken(from:))
    }

    static func refreshToken(from row: PostgresColumns) throws -> RefreshTokenRecord {
        let stateName = try row.string("state")
        guard let state = RefreshTokenRecord.State(rawValue: stateName) else {
            throw StoreError.invalidData("unknown refresh token state \(stateName)")
        }
        return RefreshTokenRecord(
            id: try row.string("id"), tokenHash: try row.bytes("token_hash"), familyID: try row.string("family_id"),
            tenantID: try row.string("tenant_id"), clientID: try row.string("client_id"),
            userObjectID: try row.string("user_object_id"), scope: try row.string("scope"),
            authenticatedAt: try row.date("authenticated_at"),
            authenticationMethods: try row.strings("authentication_methods"), createdAt: try row.date("created_at"),
            lastUsedAt: try row.date("last_used_at"), expiresAt: try row.date("expires_at"), state: state,
            rotatedAt: try row.optionalDate("rotated_at"), successorID: try row.optionalString("successor_id"))
    }
}
