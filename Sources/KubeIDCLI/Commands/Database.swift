import ArgumentParser
import Foundation

extension KubeIDCommand {
    /// `kubeid db`: the store's schema.
    struct Database: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "db", abstract: "Inspect, migrate, back up and restore the store (SQLite or PostgreSQL).",
            discussion: """
            `serve` and every admin command apply pending migrations when they open the store, under a lock \
            (an advisory lock on PostgreSQL, a file lock beside the SQLite database), so processes starting \
            together apply each migration once. Use `db migrate` to upgrade the schema ahead of a rolling \
            upgrade, and `db status` (which changes nothing) to see what is applied and pending. \
            `db backup` and `db restore` copy the SQLite store; PostgreSQL has pg_dump and pg_restore.
            """,
            subcommands: [Migrate.self, Status.self, Backup.self, Restore.self])
    }
}

extension KubeIDCommand.Database {
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending migrations and print the applied ones.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            OutputPrinter.print(try await StoreFactory.migrate(store), output: output)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the backend, its location (never a password) and the applied and pending migrations.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            OutputPrinter.print(try await StoreFactory.status(store), output: output)
        }
    }
}
