import ArgumentParser
import Foundation

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
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (env KUBEID_DATA_DIR; default ./.kubeid).")
    var dataDirectory: String?

    @Option(name: .customLong("database-url"),
            help: "PostgreSQL database, postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=require&schema=NAME] (env KUBEID_DATABASE_URL; default: SQLite in the data directory).")
    var databaseURL: String?

    @Option(name: .customLong("secret-hash-key-file"),
            help: "Key that client secrets are hashed under; the same file on every instance (env KUBEID_SECRET_HASH_KEY_FILE; default <data-dir>/secret-hash.key).")
    var secretHashKeyFile: String?

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
