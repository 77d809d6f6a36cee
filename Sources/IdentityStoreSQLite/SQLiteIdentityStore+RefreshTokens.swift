import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: RefreshTokenStore {
    public func createRefreshToken(_ token: RefreshTokenRecord) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO refresh_tokens (id, token_hash, family_id, tenant_id, client_id, user_object_id, scope,
                    authenticated_at, authentication_methods, created_at, last_used_at, expires_at, state, rotated_at,
                    successor_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [token.id, SQLiteValues.blob(token.tokenHash), token.familyID, token.tenantID,
                                 token.clientID, token.userObjectID, token.scope,
                                 SQLiteValues.milliseconds(token.authenticatedAt),
                                 try SQLiteValues.json(token.authenticationMethods),
                                 SQLiteValues.milliseconds(token.createdAt), SQLiteValues.milliseconds(token.lastUsedAt),
                                 SQLiteValues.milliseconds(token.expiresAt), token.state.rawValue,
                                 SQLiteValues.milliseconds(token.rotatedAt), token.successorID])
        }
    }

    public func refreshToken(tokenHash: [UInt8]) async throws -> RefreshTokenRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM refresh_tokens WHERE token_hash = ?",
                             arguments: [SQLiteValues.blob(tokenHash)]).map(Self.refreshToken(from:))
        }
    }

    public func refreshToken(id: String) async throws -> RefreshTokenRecord? {
        try await read { db in try Self.fetchRefreshToken(id: id, db) }
    }

    @discardableResult
    public func updateRefreshToken(id: String,
                                   _ change: @Sendable (inout RefreshTokenRecord) throws -> Void) async throws -> RefreshTokenRecord {
        // The rotation compare-and-swap: the IMMEDIATE transaction holds the write lock from the
        // read to the write, so of two refreshes presenting the same token (from any instance on
        // this file) the second one's closure sees `.rotated` and refuses.
        try await write { db in
            guard let old = try Self.fetchRefreshToken(id: id, db) else {
                throw StoreError.notFound("no refresh token \(id)")
            }
            var new = old
            try change(&new)
            new.id = old.id
            new.tokenHash = old.tokenHash
            guard new != old else { return old }
            try db.execute(sql: """
                UPDATE refresh_tokens SET family_id = ?, tenant_id = ?, client_id = ?, user_object_id = ?, scope = ?,
                    authenticated_at = ?, authentication_methods = ?, created_at = ?, last_used_at = ?,
                    expires_at = ?, state = ?, rotated_at = ?, successor_id = ?
                WHERE id = ?
                """, arguments: [new.familyID, new.tenantID, new.clientID, new.userObjectID, new.scope,
                                 SQLiteValues.milliseconds(new.authenticatedAt),
                                 try SQLiteValues.json(new.authenticationMethods),
                                 SQLiteValues.milliseconds(new.createdAt), SQLiteValues.milliseconds(new.lastUsedAt),
                                 SQLiteValues.milliseconds(new.expiresAt), new.state.rawValue,
                                 SQLiteValues.milliseconds(new.rotatedAt), new.successorID, id])
            return new
        }
    }

    @discardableResult
    public func revokeRefreshTokenFamily(familyID: String, now: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: "UPDATE refresh_tokens SET state = ? WHERE family_id = ? AND state <> ?",
                           arguments: [Self.revoked, familyID, Self.revoked])
            return db.changesCount
        }
    }

    @discardableResult
    public func revokeRefreshTokens(tenantID: String, userObjectID: String, now: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: """
                UPDATE refresh_tokens SET state = ? WHERE tenant_id = ? AND user_object_id = ? AND state <> ?
                """, arguments: [Self.revoked, tenantID, userObjectID, Self.revoked])
            return db.changesCount
        }
    }

    public func refreshTokens(tenantID: String, userObjectID: String) async throws -> [RefreshTokenRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM refresh_tokens WHERE tenant_id = ? AND user_object_id = ? ORDER BY created_at DESC, id
                """, arguments: [tenantID, userObjectID]).map(Self.refreshToken(from:))
        }
    }

    public func deleteExpiredRefreshTokens(now: Date, limit: Int) async throws -> Int {
        // SQLite reads a negative LIMIT as "no limit"; the contract says at most `limit`.
        guard limit > 0 else { return 0 }
        return try await write { db in
            try db.execute(sql: """
                DELETE FROM refresh_tokens WHERE rowid IN (
                    SELECT rowid FROM refresh_tokens WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)
                """, arguments: [SQLiteValues.milliseconds(now), limit])
            return db.changesCount
        }
    }

    // MARK: Rows

    private static let revoked = RefreshTokenRecord.State.revoked.rawValue

    static func fetchRefreshToken(id: String, _ db: Database) throws -> RefreshTokenRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM refresh_tokens WHERE id = ?", arguments: [id])
            .map(refreshToken(from:))
    }

    static func refreshToken(from row: Row) throws -> RefreshTokenRecord {
        RefreshTokenRecord(id: try row.string("id"), tokenHash: try row.bytes("token_hash"),
                           familyID: try row.string("family_id"), tenantID: try row.string("tenant_id"),
                           clientID: try row.string("client_id"), userObjectID: try row.string("user_object_id"),
                           scope: try row.string("scope"), authenticatedAt: try row.date("authenticated_at"),
                           authenticationMethods: try row.strings("authentication_methods"),
                           createdAt: try row.date("created_at"), lastUsedAt: try row.date("last_used_at"),
                           expiresAt: try row.date("expires_at"),
                           state: try row.rawValue("state", as: RefreshTokenRecord.State.self),
                           rotatedAt: try row.optionalDate("rotated_at"), successorID: try row.optionalString("successor_id"))
    }
}
