import Foundation
import IdentityCore
import IdentityStorePostgres
import IdentityStoreSQLite
import Logging
import OAuthProtocol

/// An open store with what goes with it: the secret hasher, a description for logs (never a
/// password) and how to close it.
struct OpenedStore: Sendable {
    let store: any IdentityStore
    let hasher: SecretHasher
    /// Seals and opens private keys stored in the database.
    let keyEncryption: KeyEncryption
    /// `sqlite:/path/kubeid.sqlite` or the PostgreSQL URL without its password.
    let location: String
    let close: @Sendable () async -> Void
}

/// The only place that knows both store backends: `--database-url` (or `KUBEID_DATABASE_URL`)
/// chooses PostgreSQL; otherwise the store is SQLite in the data directory. Opening applies
/// pending migrations; on PostgreSQL they run under a lock, so instances starting together
/// apply each migration once.
enum StoreFactory {
    enum Backend {
        case sqlite(path: String)
        case postgres(PostgresStoreConfiguration)
    }

    static func backend(_ options: StoreOptions, environment: [String: String]) throws -> Backend {
        guard let url = options.resolvedDatabaseURL(environment: environment) else {
            return .sqlite(path: DataDirectory(path: options.resolvedDataDirectory(environment: environment)).databasePath)
        }
        guard PostgresStoreConfiguration.isPostgresURL(url) else {
            throw CLIError("--database-url must be a postgres:// URL (for SQLite, use --data-dir)")
        }
        do {
            return .postgres(try PostgresStoreConfiguration(url: url, environment: environment))
        } catch let error as StoreError {
            throw CLIError("--database-url: \(error.reason)")
        }
    }

    static func location(of backend: Backend) -> String {
        switch backend {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let configuration): configuration.redactedDescription
        }
    }

    /// Opens (creating and migrating if needed) the store the options name, and loads the
    /// secret-hashing key. With an `exporter` (`serve --metrics-listen`) the store reports its
    /// operations to it.
    static func open(_ options: StoreOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
                     logger: Logger = quietLogger, exporter: MetricsExporter? = nil) async throws -> OpenedStore {
        let backend = try backend(options, environment: environment)
        let dataDirectory = DataDirectory(path: options.resolvedDataDirectory(environment: environment))
        try dataDirectory.prepare()
        let hasher = SecretHasher(key: try DataDirectory.loadOrCreateSecretHashKey(
            at: options.resolvedSecretHashKeyFile(environment: environment)))
        let keyEncryption = try options.keyEncryption(environment: environment)
        switch backend {
        case .sqlite(let path):
            let store = try SQLiteIdentityStore(path: path, metrics: exporter?.storeMetrics(backend: "sqlite")
                                                    ?? .disabled(backend: "sqlite"))
            return OpenedStore(store: store, hasher: hasher, keyEncryption: keyEncryption, location: location(of: backend),
                               close: {})
        case .postgres(let configuration):
            let store = try await PostgresIdentityStore.open(configuration, logger: logger,
                                                             metrics: exporter?.storeMetrics(backend: "postgres")
                                                                 ?? .disabled(backend: "postgres"))
            return OpenedStore(store: store, hasher: hasher, keyEncryption: keyEncryption, location: location(of: backend),
                               close: { await store.close() })
        }
    }

    /// `kubeid db migrate`: applies pending migrations and reports what is applied.
    static func migrate(_ options: StoreOptions,
                        environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> JSONValue {
        let backend = try backend(options, environment: environment)
        switch backend {
        case .sqlite(let path):
            try DataDirectory(path: options.resolvedDataDirectory(environment: environment)).prepare()
            let store = try SQLiteIdentityStore(path: path) // opening migrates
            try store.migrate()
            let applied = try store.appliedMigrations()
            return status(backend: backend, applied: applied,
                          pending: SQLiteIdentityStore.knownMigrations.filter { !applied.contains($0) }, server: nil)
        case .postgres(let configuration):
            let store = PostgresIdentityStore(configuration: configuration, logger: quietLogger)
            defer { Task { await store.close() } }
            try await store.migrate()
            return status(backend: backend, applied: try await store.appliedMigrations(), pending: [],
                          server: try await store.serverVersion())
        }
    }

    /// `kubeid db status`: where the store is and which migrations are applied or pending.
    /// It changes nothing on either backend (a missing SQLite file is reported as such): pending
    /// migrations are the ones this build knows and the database has not applied.
    static func status(_ options: StoreOptions,
                       environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> JSONValue {
        let backend = try backend(options, environment: environment)
        switch backend {
        case .sqlite(let path):
            guard let migrations = try SQLiteIdentityStore.migrationStatus(path: path) else {
                return .object([("backend", .string("sqlite")), ("location", .string(location(of: backend))),
                                ("exists", .bool(false))])
            }
            return status(backend: backend, applied: migrations.applied, pending: migrations.pending, server: nil)
        case .postgres(let configuration):
            let store = PostgresIdentityStore(configuration: configuration, logger: quietLogger)
            defer { Task { await store.close() } }
            let applied = try await store.appliedMigrations()
            return status(backend: backend, applied: applied,
                          pending: PostgresIdentityStore.knownMigrations.filter { !applied.contains($0) },
                          server: try await store.serverVersion())
        }
    }

    private static func status(backend: Backend, applied: [String], pending: [String], server: String?) -> JSONValue {
        let name: String
        switch backend {
        case .sqlite: name = "sqlite"
        case .postgres: name = "postgres"
        }
        var members: [(String, JSONValue)] = [("backend", .string(name)), ("location", .string(location(of: backend)))]
        if let server { members.append(("server", .string(server))) }
        members.append(("applied", .array(applied.map(JSONValue.string))))
        members.append(("pending", .array(pending.map(JSONValue.string))))
        return .object(members)
    }

    /// Admin commands print JSON on stdout; the database driver's background messages must not
    /// land there.
    static let quietLogger = Logger(label: "kubeid.store", factory: { _ in SwiftLogNoOpLogHandler() })
}
