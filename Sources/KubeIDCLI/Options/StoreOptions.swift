import ArgumentParser
import Foundation
import IdentityCore

/// Where the directory lives. Every command takes these; each resolves flag, then environment,
/// then default.
///
/// - `--data-dir` (`KUBEID_DATA_DIR`, default `./.kubeid`): the SQLite database, the
///   secret-hashing key and generated TLS material.
/// - `--database-url` (`KUBEID_DATABASE_URL`): a `postgres://` URL; the store is then that
///   PostgreSQL database instead of SQLite in the data directory (which still holds the key and
///   TLS material).
/// - `--secret-hash-key-file` (`KUBEID_SECRET_HASH_KEY_FILE`, default `<data-dir>/secret-hash.key`):
///   the key client secrets are hashed under. Every instance on one PostgreSQL database, and the
///   admin commands, must use the same key.
/// - `--key-encryption-key-file` (`KUBEID_KEY_ENCRYPTION_KEY_FILE`, default
///   `<data-dir>/key-encryption.key`), or the key itself in `KUBEID_KEY_ENCRYPTION_KEY`: the
///   key-encryption keys private keys are sealed under in the database (one base64 32-byte key
///   per line, the current one first). Every instance and the admin commands need the same.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (env KUBEID_DATA_DIR; default ./.kubeid).")
    var dataDirectory: String?

    @Option(name: .customLong("database-url"),
            help: "PostgreSQL database, postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=require&schema=NAME] (env KUBEID_DATABASE_URL; default: SQLite in the data directory).")
    var databaseURL: String?

    @Option(name: .customLong("secret-hash-key-file"),
            help: "Key that client secrets are hashed under; the same file on every instance (env KUBEID_SECRET_HASH_KEY_FILE; default <data-dir>/secret-hash.key).")
    var secretHashKeyFile: String?

    @Option(name: .customLong("key-encryption-key-file"),
            help: "Key-encryption keys that seal private keys in the database, current first; the same file on every instance (env KUBEID_KEY_ENCRYPTION_KEY_FILE, or the key in KUBEID_KEY_ENCRYPTION_KEY; default <data-dir>/key-encryption.key).")
    var keyEncryptionKeyFile: String?

    func resolvedKeyEncryptionKeyFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let file = Self.value(keyEncryptionKeyFile, "KUBEID_KEY_ENCRYPTION_KEY_FILE", environment) {
            return URL(fileURLWithPath: file).standardizedFileURL.path
        }
        return DataDirectory(path: resolvedDataDirectory(environment: environment)).keyEncryptionKeyPath
    }

    /// The key-encryption keys: `KUBEID_KEY_ENCRYPTION_KEY` when set (and no file flag), else the
    /// file, created with a new random key on first use.
    func keyEncryption(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> KeyEncryption {
        if keyEncryptionKeyFile == nil, let text = environment["KUBEID_KEY_ENCRYPTION_KEY"], !text.isEmpty {
            do {
                return try KeyEncryption(text: text, source: "KUBEID_KEY_ENCRYPTION_KEY")
            } catch {
                throw CLIError("\(error)")
            }
        }
        return try DataDirectory.loadOrCreateKeyEncryption(at: resolvedKeyEncryptionKeyFile(environment: environment))
    }

    private static func value(_ flag: String?, _ name: String, _ environment: [String: String]) -> String? {
        flag ?? environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    func resolvedDataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let path = Self.value(dataDirectory, "KUBEID_DATA_DIR", environment) ?? "./.kubeid"
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The PostgreSQL URL, or nil for SQLite in the data directory.
    func resolvedDatabaseURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        Self.value(databaseURL, "KUBEID_DATABASE_URL", environment)
    }

    func resolvedSecretHashKeyFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let file = Self.value(secretHashKeyFile, "KUBEID_SECRET_HASH_KEY_FILE", environment) {
            return URL(fileURLWithPath: file).standardizedFileURL.path
        }
        return DataDirectory(path: resolvedDataDirectory(environment: environment)).secretHashKeyPath
    }
}
