import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: SigningKeyStore {
    public func replaceSigningKeyPrivateKey(keyID: String, expected: String, replacement: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE signing_keys SET private_key_pem = ? WHERE key_id = ? AND private_key_pem = ?",
                           arguments: [replacement, keyID, expected])
            return db.changesCount == 1
        }
    }

    public func signingKeys() async throws -> [SigningKeyRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM signing_keys ORDER BY created_at, rowid")
                .map(Self.signingKey(from:))
        }
    }

    public func rotateSigningKey(expectedLatestKeyID: String?, newKey: SigningKeyRecord,
                                 retiredRemoveAfter: Date) async throws {
        guard let activatedAt = newKey.activatedAt, newKey.retiredAt == nil else {
            preconditionFailure("rotateSigningKey needs a new key with activatedAt set and retiredAt nil")
        }
        // The compare and the swap share one IMMEDIATE transaction: it takes the database's write
        // lock before the read, so of two instances (or processes) rotating from the same key,
        // the second one reads the first one's new key and reports a conflict.
        try await write { db in
            let latestKeyID = try String.fetchOne(db, sql: """
                SELECT key_id FROM signing_keys WHERE activated_at IS NOT NULL AND retired_at IS NULL
                """)
            guard latestKeyID == expectedLatestKeyID else {
                throw StoreError.conflict(
                    "latest signing key is \(latestKeyID ?? "none"), expected \(expectedLatestKeyID ?? "none")")
            }
            try db.execute(sql: """
                UPDATE signing_keys SET retired_at = ?, remove_after = ?
                WHERE activated_at IS NOT NULL AND (retired_at IS NULL OR retired_at > ?)
                """, arguments: [SQLiteValues.milliseconds(activatedAt), SQLiteValues.milliseconds(retiredRemoveAfter),
                                 SQLiteValues.milliseconds(activatedAt)])
            try db.execute(sql: """
                INSERT INTO signing_keys (key_id, algorithm, private_key_pem, certificate_pem, created_at,
                    activated_at, retired_at, remove_after)
                VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
                """, arguments: [newKey.keyID, newKey.algorithm, newKey.privateKeyPEM, newKey.certificatePEM,
                                 SQLiteValues.milliseconds(newKey.createdAt), SQLiteValues.milliseconds(activatedAt),
                                 SQLiteValues.milliseconds(newKey.removeAfter)])
        }
    }

    public func deleteRemovedSigningKeys(now: Date, limit: Int) async throws -> Int {
        // SQLite reads a negative LIMIT as "no limit"; the contract says at most `limit`.
        guard limit > 0 else { return 0 }
        return try await write { db in
            try db.execute(sql: """
                DELETE FROM signing_keys WHERE rowid IN (
                    SELECT rowid FROM signing_keys WHERE remove_after IS NOT NULL AND remove_after <= ?
                    ORDER BY remove_after LIMIT ?)
                """, arguments: [SQLiteValues.milliseconds(now), limit])
            return db.changesCount
        }
    }

    static func signingKey(from row: Row) throws -> SigningKeyRecord {
        SigningKeyRecord(keyID: try row.string("key_id"), algorithm: try row.string("algorithm"),
                         privateKeyPEM: try row.string("private_key_pem"),
                         certificatePEM: try row.string("certificate_pem"), createdAt: try row.date("created_at"),
                         activatedAt: try row.optionalDate("activated_at"), retiredAt: try row.optionalDate("retired_at"),
                         removeAfter: try row.optionalDate("remove_after"))
    }
}
