import Foundation
import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: StoreSchema {
    /// The identifiers of every migration this build knows, in order.
    public static var knownMigrations: [String] { PostgresMigrations.ids }

    /// Creates the schema if missing and applies every migration not yet applied, in one
    /// transaction under an advisory lock named after the schema: an instance starting at the
    /// same moment waits for this one and then finds nothing to do; nothing is applied twice.
    /// Safe to call again; ``open(_:logger:)`` already calls it.
    public func migrate() async throws {
        let schema = configuration.schema
        try await transaction { connection in
            try await connection.run("SELECT pg_advisory_xact_lock(hashtext('kubeid.migrate'), hashtext(\(schema)))",
                                     self.queryLogger)
            if try await connection.row("SELECT 1 AS present FROM pg_namespace WHERE nspname = \(schema)",
                                        self.queryLogger) == nil {
                try await connection.run(PostgresQuery(unsafeSQL: "CREATE SCHEMA \"\(schema)\""), self.queryLogger)
            }
            try await connection.run(PostgresQuery(unsafeSQL: PostgresMigrations.ledger), self.queryLogger)
            let applied = Set(try await connection.rows("SELECT id FROM kubeid_migrations", self.queryLogger)
                .map { try $0.string("id") })
            for migration in PostgresMigrations.all where !applied.contains(migration.id) {
                for statement in migration.statements(schema) {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), self.queryLogger)
                }
                try await connection.run("INSERT INTO kubeid_migrations (id) VALUES (\(migration.id))", self.queryLogger)
            }
        }
    }

    /// The identifiers of the applied migrations, in the order they were applied (empty for a
    /// database kubeid has never migrated). Does not migrate.
    public func appliedMigrations() async throws -> [String] {
        let schema = configuration.schema
        return try await read { connection in
            guard try await connection.row("""
                SELECT 1 AS present FROM pg_tables WHERE schemaname = \(schema) AND tablename = 'kubeid_migrations'
                """, self.queryLogger) != nil else { return [] }
            return try await connection.rows("SELECT id FROM kubeid_migrations ORDER BY seq", self.queryLogger)
                .map { try $0.string("id") }
        }
    }

    /// The migrations this build would apply. Does not migrate.
    public func pendingMigrations() async throws -> [String] {
        let applied = Set(try await appliedMigrations())
        return Self.knownMigrations.filter { !applied.contains($0) }
    }

    /// The server's version string (`SELECT version()`), for `kubeid db status`.
    public func serverVersion() async throws -> String {
        try await read { connection in
            try await connection.row("SELECT version() AS version", self.queryLogger)?.string("version") ?? "unknown"
        }
    }

    /// Drops the store's schema and everything in it. For tests that give each case a fresh
    /// schema; refuses `public`.
    @_spi(Testing)
    public func dropSchema() async throws {
        let schema = configuration.schema
        precondition(schema != "public", "dropSchema() refuses the public schema")
        try await read { connection in
            try await connection.run(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"),
                                     self.queryLogger)
        }
    }

    /// Ends every other session whose `application_name` is `applicationName` (what a server
    /// restart does to a pool). For tests of connection loss. Returns how many.
    @_spi(Testing)
    @discardableResult
    public func terminateBackends(applicationName: String) async throws -> Int {
        try await read { connection in
            try await connection.changes("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE application_name = \(applicationName) AND pid <> pg_backend_pid()
                """, self.queryLogger)
        }
    }
}
