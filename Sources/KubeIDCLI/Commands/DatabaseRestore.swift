import ArgumentParser
import Foundation
import IdentityCore
import IdentityStoreSQLite
import OAuthProtocol

extension KubeIDCommand.Database {
    /// `kubeid db restore --from FILE`: a backup in place of the SQLite store.
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the SQLite store of --data-dir with a backup made by `db backup`; the server must be stopped.",
            discussion: """
            Refuses while a kubeid server runs on the data directory. The file is checked first (an SQLite \
            database, kubeid's migrations, none newer than this binary), and so is the key-encryption key: the \
            backup's private keys must be sealed under a key the data directory's key file (or \
            KUBEID_KEY_ENCRYPTION_KEY) holds; copy the key file kept with the backup there before restoring. \
            The current store is kept as kubeid.sqlite.replaced-<time> and the backup renamed into place, so \
            a failed restore changes nothing. On PostgreSQL, use pg_restore (docs/operations.md, Backups).
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .customLong("from"), help: "The backup file to restore.")
        var source: String

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let keys = StoreKeyFiles(store, environment: environment)
            guard case .sqlite(let path) = try StoreFactory.backend(store, environment: environment) else {
                throw CLIError("db restore replaces the SQLite store; on PostgreSQL restore a pg_dump with pg_restore "
                    + "(pg_restore --clean --if-exists --dbname='postgres://…' kubeid.dump, servers stopped; see "
                    + "docs/operations.md, Backups), and give every instance the key-encryption key and the "
                    + "secret-hashing key files kept with the dump")
            }
            let dataDirectory = DataDirectory(path: store.resolvedDataDirectory(environment: environment))
            let lock = try ServeLock.acquire(dataDirectory, role: .restore)
            defer { lock.release() }

            let restore: SQLiteRestore
            do {
                restore = try SQLiteRestore(backup: source, databasePath: path)
            } catch let error as StoreError {
                throw CLIError("\(error.reason); the store was not changed")
            }
            let configured: Set<String>?
            do {
                configured = try keys.configuredKeyEncryptionKeyIDs()
            } catch {
                restore.discard()
                throw error
            }
            let missing = restore.summary.keyEncryptionKeyIDs.filter { !(configured ?? []).contains($0) }
            if !missing.isEmpty {
                restore.discard()
                let holder = configured == nil
                    ? "and \(keys.keyEncryptionKeySource) does not exist"
                    : "which \(keys.keyEncryptionKeySource) does not hold"
                throw CLIError("the backup's private keys are sealed under key-encryption key \(missing.joined(separator: ", ")), "
                    + "\(holder); put the key-encryption key file kept with the backup there (or pass "
                    + "--key-encryption-key-file) and restore again; the store was not changed")
            }
            let replaced: String?
            do {
                replaced = try restore.commit()
            } catch let error as StoreError {
                throw CLIError("\(error.reason); the store was not changed")
            }
            OutputPrinter.print(.object([
                ("restored", .string(path)),
                ("from", .string(URL(fileURLWithPath: source).standardizedFileURL.path)),
                ("migrations", .array(restore.summary.migrations.map(JSONValue.string))),
                ("signingKeys", .number(Double(restore.summary.signingKeyCount))),
                ("replaced", replaced.map(JSONValue.string) ?? .null),
            ]), output: output)
            if !keys.secretHashKeyExists {
                KubeIDCommand.Serve.say("kubeid: warning: \(keys.secretHashKeyFile) does not exist: copy the secret-hashing key "
                    + "kept with the backup there before starting the server, or no client secret in the store will match "
                    + "(a new key would be created; `kubeid sp credential reset` issues new secrets)")
            }
        }
    }
}
