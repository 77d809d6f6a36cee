import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: AuthorizationCodeStore {
    public func createAuthorizationCode(_ code: AuthorizationCodeRecord) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO authorization_codes (code_hash, tenant_id, client_id, redirect_uri, scope, resource,
                    endpoint_version, code_challenge, code_challenge_method, nonce, user_object_id, authenticated_at,
                    authentication_methods, created_at, expires_at, redeemed_at, issued_refresh_token_family_id,
                    client_address)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [SQLiteValues.blob(code.codeHash), code.tenantID, code.clientID, code.redirectURI,
                                 code.scope, code.resource, code.endpointVersion, code.codeChallenge,
                                 code.codeChallengeMethod, code.nonce, code.userObjectID,
                                 SQLiteValues.milliseconds(code.authenticatedAt),
                                 try SQLiteValues.json(code.authenticationMethods),
                                 SQLiteValues.milliseconds(code.createdAt), SQLiteValues.milliseconds(code.expiresAt),
                                 SQLiteValues.milliseconds(code.redeemedAt), code.issuedRefreshTokenFamilyID,
                                 code.clientAddress])
        }
    }

    public func authorizationCode(codeHash: [UInt8]) async throws -> AuthorizationCodeRecord? {
        try await read { db in try Self.fetchAuthorizationCode(codeHash: codeHash, db) }
    }

    @discardableResult
    public func updateAuthorizationCode(codeHash: [UInt8],
                                        _ change: @Sendable (inout AuthorizationCodeRecord) throws -> Void) async throws -> AuthorizationCodeRecord {
        // One IMMEDIATE transaction from the read to the write: of concurrent redemptions, the
        // second one's closure sees the first one's `redeemedAt`.
        try await write { db in
            guard let old = try Self.fetchAuthorizationCode(codeHash: codeHash, db) else {
                throw StoreError.notFound("no authorization code with this hash")
            }
            var new = old
            try change(&new)
            new.codeHash = old.codeHash
            guard new != old else { return old }
            try db.execute(sql: """
                UPDATE authorization_codes SET tenant_id = ?, client_id = ?, redirect_uri = ?, scope = ?,
                    resource = ?, endpoint_version = ?, code_challenge = ?, code_challenge_method = ?, nonce = ?,
                    user_object_id = ?, authenticated_at = ?, authentication_methods = ?, created_at = ?,
                    expires_at = ?, redeemed_at = ?, issued_refresh_token_family_id = ?, client_address = ?
                WHERE code_hash = ?
                """, arguments: [new.tenantID, new.clientID, new.redirectURI, new.scope, new.resource,
                                 new.endpointVersion, new.codeChallenge, new.codeChallengeMethod, new.nonce,
                                 new.userObjectID, SQLiteValues.milliseconds(new.authenticatedAt),
                                 try SQLiteValues.json(new.authenticationMethods),
                                 SQLiteValues.milliseconds(new.createdAt), SQLiteValues.milliseconds(new.expiresAt),
                                 SQLiteValues.milliseconds(new.redeemedAt), new.issuedRefreshTokenFamilyID,
                                 new.clientAddress, SQLiteValues.blob(codeHash)])
            return new
        }
    }

    public func deleteExpiredAuthorizationCodes(now: Date, limit: Int) async throws -> Int {
        // SQLite reads a negative LIMIT as "no limit"; the contract says at most `limit`.
        guard limit > 0 else { return 0 }
        return try await write { db in
            try db.execute(sql: """
                DELETE FROM authorization_codes WHERE rowid IN (
                    SELECT rowid FROM authorization_codes WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)
                """, arguments: [SQLiteValues.milliseconds(now), limit])
            return db.changesCount
        }
    }

    // MARK: Rows

    static func fetchAuthorizationCode(codeHash: [UInt8], _ db: Database) throws -> AuthorizationCodeRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM authorization_codes WHERE code_hash = ?",
                         arguments: [SQLiteValues.blob(codeHash)]).map(authorizationCode(from:))
    }

    static func authorizationCode(from row: Row) throws -> AuthorizationCodeRecord {
        AuthorizationCodeRecord(codeHash: try row.bytes("code_hash"), tenantID: try row.string("tenant_id"),
                                clientID: try row.string("client_id"), redirectURI: try row.string("redirect_uri"),
                                scope: try row.string("scope"), resource: try row.string("resource"),
                                endpointVersion: try row.string("endpoint_version"),
                                codeChallenge: try row.optionalString("code_challenge"),
                                codeChallengeMethod: try row.optionalString("code_challenge_method"),
                                nonce: try row.optionalString("nonce"),
                                userObjectID: try row.string("user_object_id"),
                                authenticatedAt: try row.date("authenticated_at"),
                                authenticationMethods: try row.strings("authentication_methods"),
                                createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"),
                                redeemedAt: try row.optionalDate("redeemed_at"),
                                issuedRefreshTokenFamilyID: try row.optionalString("issued_refresh_token_family_id"),
                                clientAddress: try row.string("client_address"))
    }
}
