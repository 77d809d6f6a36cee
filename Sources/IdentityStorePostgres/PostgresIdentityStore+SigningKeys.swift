import Foundation
public import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: SigningKeyStore {
    public func signingKeys() async throws -> [SigningKeyRecord] {
        try await read { connection in
            try await connection.rows("SELECT * FROM signing_keys ORDER BY created_at, seq", self.queryLogger)
                .map(Self.signingKey(from:))
        }
    }

    public func rotateSigningKey(expectedLatestKeyID: String?, newKey: SigningKeyRecord,
                                 retiredRemoveAfter: Date) async throws {
        guard let activatedAt = newKey.activatedAt, newKey.retiredAt == nil else {
            preconditionFailure("rotateSigningKey needs a new key with activatedAt set and retiredAt nil")
        }
        // The compare and the swap share one transaction that first takes a table lock which
        // conflicts with itself (readers are not blocked): of several instances rotating from the
        // same key at the same instant, the second one reads the first one's new key and reports
        // a conflict. A row lock would not do: with no active key there is no row to lock.
        try await transaction { connection in
            try await connection.run("LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE", self.queryLogger)
            let latestKeyID = try await connection.row("""
                SELECT key_id FROM signing_keys WHERE activated_at IS NOT NULL AND retired_at IS NULL
                """, self.queryLogger).map { try $0.string("key_id") }
            guard latestKeyID == expectedLatestKeyID else {
                throw StoreError.conflict(
                    "latest signing key is \(latestKeyID ?? "none"), expected \(expectedLatestKeyID ?? "none")")
            }
            try await connection.run("""
                UPDATE signing_keys SET retired_at = \(PostgresValues.timestamp(activatedAt)),
                    remove_after = \(PostgresValues.timestamp(retiredRemoveAfter))
                WHERE activated_at IS NOT NULL
                    AND (retired_at IS NULL OR retired_at > \(PostgresValues.timestamp(activatedAt)))
                """, self.queryLogger)
            try await connection.run("""
                INSERT INTO signing_keys (key_id, algorithm, private_key_pem, certificate_pem, created_at,
                    activated_at, retired_at, remove_after)
                VALUES (\(newKey.keyID), \(newKey.algorithm), \(newKey.privateKeyPEM), \(newKey.certificatePEM),
                    \(PostgresValues.timestamp(newKey.createdAt)), \(PostgresValues.timestamp(activatedAt)), NULL,
                    \(PostgresValues.timestamp(newKey.removeAfter)))
                """, self.queryLogger)
        }
    }

    public func replaceSigningKeyPrivateKey(keyID: String, expected: String, replacement: String) async throws -> Bool {
        try await read { connection in
            try await connection.count("""
                WITH updated AS (
                    UPDATE signing_keys SET private_key_pem = \(replacement)
                    WHERE key_id = \(keyID) AND private_key_pem = \(expected) RETURNING 1)
                SELECT count(*) AS count FROM updated
                """, self.queryLogger)
        } == 1
    }

    public func deleteRemovedSigningKeys(now: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        return try await read { connection in
            try await connection.count("""
                WITH doomed AS (
                    SELECT key_id FROM signing_keys
                    WHERE remove_after IS NOT NULL AND remove_after <= \(PostgresValues.timestamp(now))
                    ORDER BY remove_after LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                deleted AS (
                    DELETE FROM signing_keys USING doomed WHERE signing_keys.key_id = doomed.key_id RETURNING 1)
                SELECT count(*) AS count FROM deleted
                """, self.queryLogger)
        }
    }

    static func signingKey(from row: PostgresColumns) throws -> SigningKeyRecord {
        SigningKeyRecord(keyID: try row.string("key_id"), algorithm: try row.string("algorithm"),
                         privateKeyPEM: try row.string("private_key_pem"),
                         certificatePEM: try row.string("certificate_pem"), createdAt: try row.date("created_at"),
                         activatedAt: try row.optionalDate("activated_at"), retiredAt: try row.optionalDate("retired_at"),
                         removeAfter: try row.optionalDate("remove_after"))
    }
}
