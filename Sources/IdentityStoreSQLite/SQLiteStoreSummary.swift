import Foundation
import IdentityCore
internal import GRDB

/// What a kubeid SQLite file holds, as far as a backup or a restore must know: that it is a
/// kubeid store at all, its schema version, and which key-encryption keys its private keys are
/// sealed under (without those keys a copy is of little use; see docs/operations.md, Backups).
public struct SQLiteStoreSummary: Sendable, Equatable {
    /// Applied migrations, oldest first.
    public let migrations: [String]
    /// The ids (`kek-…`) of the key-encryption keys the file's sealed private keys name.
    public let keyEncryptionKeyIDs: [String]
    /// Signing keys in the file (sealed or, from before encryption existed, PEM).
    public let signingKeyCount: Int

    /// Reads and checks `db`: SQLite's `quick_check` must pass and GRDB's migration table must
    /// hold kubeid's first migration; a migration this binary does not know means a newer
    /// kubeid wrote the file, whose schema this one must not serve.
    static func read(_ db: Database, path: String) throws -> SQLiteStoreSummary {
        let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
        guard check == ["ok"] else {
            throw StoreError.invalidData("\(path) is damaged (SQLite quick_check: \(check.prefix(3).joined(separator: "; ")))")
        }
        let notAStore = StoreError.invalidData("\(path) is not a kubeid store (it has no kubeid migration table)")
        guard try db.tableExists("grdb_migrations") else { throw notAStore }
        let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        guard migrations.first == "v1" else { throw notAStore }
        let known = Set(SQLiteMigrations.migrator.migrations)
        if let unknown = migrations.first(where: { !known.contains($0) }) {
            throw StoreError.invalidData("\(path) was written by a newer kubeid (migration \(unknown) is unknown to this one)")
        }
        var sealedTexts = try String.fetchAll(db, sql: "SELECT private_key_pem FROM signing_keys")
        let signingKeyCount = sealedTexts.count
        if try db.tableExists("clusters") {
            sealedTexts += try String.fetchAll(db, sql: "SELECT local_ca_private_key_pem FROM clusters")
        }
        let keyIDs = Set(sealedTexts.compactMap(KeyEncryption.keyID(ofSealed:)))
        return SQLiteStoreSummary(migrations: migrations, keyEncryptionKeyIDs: keyIDs.sorted(),
                                  signingKeyCount: signingKeyCount)
    }
}
