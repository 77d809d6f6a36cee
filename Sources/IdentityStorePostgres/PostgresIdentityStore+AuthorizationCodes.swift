import Foundation
public import IdentityCore
internal import Logging
internal import PostgresNIO

extension PostgresIdentityStore: AuthorizationCodeStore {
    public func createAuthorizationCode(_ code: AuthorizationCodeRecord) async throws {
        try await read { connection in
            try await connection.run("""
                INSERT INTO authorization_codes (code_hash, tenant_id, client_id, redirect_uri, scope, resource,
                    endpoint_version, code_challenge, code_challenge_method, nonce, user_object_id, authenticated_at,
                    authentication_methods, created_at, expires_at, redeemed_at, issued_refresh_token_family_id,
                    client_address)
                VALUES (\(PostgresValues.bytes(code.codeHash)), \(code.tenantID), \(code.clientID), \(code.redirectURI),
                    \(code.scope), \(code.resource), \(code.endpointVersion), \(code.codeChallenge),
                    \(code.codeChallengeMethod), \(code.nonce), \(code.userObjectID),
                    \(PostgresValues.timestamp(code.authenticatedAt)), \(code.authenticationMethods),
                    \(PostgresValues.timestamp(code.createdAt)), \(PostgresValues.timestamp(code.expiresAt)),
                    \(PostgresValues.timestamp(code.redeemedAt)), \(code.issuedRefreshTokenFamilyID),
                    \(code.clientAddress))
                """, self.queryLogger)
        }
    }

    public func authorizationCode(codeHash: [UInt8]) async throws -> AuthorizationCodeRecord? {
        try await read { connection in
            try await Self.fetchAuthorizationCode(codeHash, lock: false, connection, self.queryLogger)
        }
    }

    @discardableResult
    public func updateAuthorizationCode(
        codeHash: [UInt8], _ change: @Sendable (inout AuthorizationCodeRecord) throws -> Void
    ) async throws -> AuthorizationCodeRecord {
        try await withoutActuallyEscaping(change) { change in
            try await transaction { connection in
                guard let old = try await Self.fetchAuthorizationCode(codeHash, lock: true, connection,
                                                                      self.queryLogger) else {
                    throw StoreError.notFound("no such authorization code")
                }
                var new = old
                try change(&new)
                new.codeHash = old.codeHash
                guard new != old else { return old }
                try await connection.run("""
                    UPDATE authorization_codes SET tenant_id = \(new.tenantID), client_id = \(new.clientID),
                        redirect_uri = \(new.redirectURI), scope = \(new.scope), resource = \(new.resource),
                        endpoint_version = \(new.endpointVersion), code_challenge = \(new.codeChallenge),
                        code_challenge_method = \(new.codeChallengeMethod), nonce = \(new.nonce),
                        user_object_id = \(new.userObjectID),
                        authenticated_at = \(PostgresValues.timestamp(new.authenticatedAt)),
                        authentication_methods = \(new.authenticationMethods),
                        created_at = \(PostgresValues.timestamp(new.createdAt)),
                        expires_at = \(PostgresValues.timestamp(new.expiresAt)),
                        redeemed_at = \(PostgresValues.timestamp(new.redeemedAt)),
                        issued_refresh_token_family_id = \(new.issuedRefreshTokenFamilyID),
                        client_address = \(new.clientAddress)
                    WHERE code_hash = \(PostgresValues.bytes(codeHash))
                    """, self.queryLogger)
                return new
            }
        }
    }

    public func deleteExpiredAuthorizationCodes(now: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        return try await read { connection in
            try await connection.count("""
                WITH doomed AS (
                    SELECT code_hash FROM authorization_codes WHERE expires_at <= \(PostgresValues.timestamp(now))
                    ORDER BY expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                deleted AS (
                    DELETE FROM authorization_codes AS rows USING doomed
                    WHERE rows.code_hash = doomed.code_hash RETURNING 1)
                SELECT count(*) AS count FROM deleted
                """, self.queryLogger)
        }
    }

    static func fetchAuthorizationCode(_ hash: [UInt8], lock: Bool, _ connection: PostgresConnection,
                                       _ logger: Logger) async throws -> AuthorizationCodeRecord? {
        let query: PostgresQuery = lock
            ? "SELECT * FROM authorization_codes WHERE code_hash = \(PostgresValues.bytes(hash)) FOR UPDATE"
            : "SELECT * FROM authorization_codes WHERE code_hash = \(PostgresValues.bytes(hash))"
        return try await connection.row(query, logger).map(authorizationCode(from:))
    }

    static func authorizationCode(from row: PostgresColumns) throws -> AuthorizationCodeRecord {
        AuthorizationCodeRecord(
            codeHash: try row.bytes("code_hash"), tenantID: try row.string("tenant_id"),
            clientID: try row.string("client_id"), redirectURI: try row.string("redirect_uri"),
            scope: try row.string("scope"), resource: try row.string("resource"),
            endpointVersion: try row.string("endpoint_version"), codeChallenge: try row.optionalString("code_challenge"),
            codeChallengeMethod: try row.optionalString("code_challenge_method"), nonce: try row.optionalString("nonce"),
            userObjectID: try row.string("user_object_id"), authenticatedAt: try row.date("authenticated_at"),
            authenticationMethods: try row.strings("authentication_methods"), createdAt: try row.date("created_at"),
            expiresAt: try row.date("expires_at"), redeemedAt: try row.optionalDate("redeemed_at"),
            issuedRefreshTokenFamilyID: try row.optionalString("issued_refresh_token_family_id"),
            clientAddress: try row.string("client_address"))
    }
}
