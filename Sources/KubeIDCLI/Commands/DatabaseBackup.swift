import ArgumentParser
import Foundation
import IdentityCore
import IdentityStoreSQLite
import OAuthProtocol

extension KubeIDCommand.Database {
    /// `kubeid db backup --to FILE`: an online copy of the SQLite store.
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the SQLite store to a file (mode 0600) with SQLite's online backup; safe while the server runs.",
            discussion: """
            The copy is the store as of one instant (WAL included), written to a temporary file beside FILE and \
            renamed over it. It does not hold the key-encryption key its private keys are sealed under, nor the \
            secret-hashing key: the command names both files on stderr; keep copies of them, the key-encryption \
            key apart from the backup. Restore with `kubeid db restore --from FILE`. On PostgreSQL, use pg_dump \
            (docs/operations.md, Backups).
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .customLong("to"), help: "The backup file to write; an existing file is replaced.")
        var destination: String

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let keys = StoreKeyFiles(store, environment: environment)
            guard case .sqlite(let path) = try StoreFactory.backend(store, environment: environment) else {
                throw CLIError("db backup copies the SQLite store; on PostgreSQL back up with pg_dump "
                    + "(pg_dump --format=custom --schema=SCHEMA --file=kubeid.dump 'postgres://…' without kubeid's own URL "
                    + "parameters such as schema or pool_max; see docs/operations.md, Backups), and "
                    + keys.keepNote(sealedUnder: []))
            }
            let summary: SQLiteStoreSummary
            do {
                summary = try SQLiteBackup.copy(databaseAt: path, to: destination)
            } catch let error as StoreError {
                throw CLIError(error.reason)
            }
            let file = URL(fileURLWithPath: destination).standardizedFileURL.path
            let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
            OutputPrinter.print(.object([
                ("backup", .string(file)),
                ("bytes", .number(Double(bytes))),
                ("migrations", .array(summary.migrations.map(JSONValue.string))),
                ("signingKeys", .number(Double(summary.signingKeyCount))),
                ("keyEncryptionKeyIds", .array(summary.keyEncryptionKeyIDs.map(JSONValue.string))),
                ("keyEncryptionKey", .string(keys.keyEncryptionKeySource)),
                ("secretHashKeyFile", .string(keys.secretHashKeyFile)),
            ]), output: output)
            KubeIDCommand.Serve.say("kubeid: the backup holds neither key it depends on: "
                + keys.keepNote(sealedUnder: summary.keyEncryptionKeyIDs))
        }
    }
}
