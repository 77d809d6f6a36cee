import Foundation
import IdentityCore
public import Logging
internal import NIOSSL
internal import PostgresNIO
import Synchronization

/// The identity store on PostgreSQL: what several `kubeid serve` instances behind a load
/// balancer share, so any instance can finish a flow another one started.
///
/// Connections come from a pool (PostgresNIO's `PostgresClient`) that this type runs in a
/// background task from `init` until ``close()``. When the database goes away, operations fail
/// with ``StoreError/unavailable`` (at the latest after
/// ``PostgresStoreConfiguration/connectionTimeout``) and the pool keeps reconnecting with
/// back-off, so the store recovers by itself when the database returns.
///
/// Atomicity: every multi-statement write is one transaction. Read-modify-write steps
/// (`update…` closures) lock their row with `SELECT … FOR UPDATE` first, so concurrent updates of
/// one row serialise across instances and each closure sees the latest committed value; key
/// rotation locks the signing-key table; directory writes lock the directory version row first,
/// so they serialise among themselves without deadlocks. Deadlocks and serialization failures
/// that happen anyway are retried.
///
/// PostgresNIO stays behind this type: nothing in the public API names it, and every error is
/// mapped to ``StoreError`` (see `PostgresErrorMapping`).
public final class PostgresIdentityStore: Sendable {
    public let configuration: PostgresStoreConfiguration
    let client: PostgresClient
    /// Query logging stays at warning level whatever the caller's level: PostgresNIO logs bound
    /// values at debug level, and those include secret hashes and private keys.
    let queryLogger: Logger
    private let runner: Task<Void, Never>
    /// Operation latency and errors, leased connections and the wait for one (`backend="postgres"`).
    let metrics: StoreMetrics
    /// Connections this store has leased from its pool right now.
    let connectionsInUse = Mutex(0)

    /// Creates the pool and starts its background task; nothing connects until the first
    /// operation. Call ``migrate()`` (or use ``open(_:logger:)``) before using a new database.
    public init(configuration: PostgresStoreConfiguration, logger: Logger = Logger(label: "kubeid.store"),
                metrics: StoreMetrics = .disabled(backend: "postgres")) {
        self.configuration = configuration
        self.metrics = metrics
        var queryLogger = logger
        queryLogger.logLevel = max(logger.logLevel, .warning)
        self.queryLogger = queryLogger
        let client = PostgresClient(configuration: Self.clientConfiguration(configuration), backgroundLogger: queryLogger)
        self.client = client
        runner = Task { await client.run() }
    }

    /// Connects and applies pending migrations (under the migration lock): what `serve` and the
    /// admin commands do on start.
    public static func open(_ configuration: PostgresStoreConfiguration, logger: Logger = Logger(label: "kubeid.store"),
                            metrics: StoreMetrics = .disabled(backend: "postgres")) async throws -> PostgresIdentityStore {
        let store = PostgresIdentityStore(configuration: configuration, logger: logger, metrics: metrics)
        do {
            try await store.migrate()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Stops the pool: in-flight operations finish, later ones fail with `unavailable`.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    deinit {
        runner.cancel()
    }

    /// TLS 1.2 or newer, the server's certificate checked (against `sslrootcert` when given).
    static func tlsConfiguration(_ configuration: PostgresStoreConfiguration) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .fullVerification
        if let file = configuration.certificateAuthorityFile { tls.trustRoots = .file(file) }
        return tls
    }

    private static func clientConfiguration(_ configuration: PostgresStoreConfiguration) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch configuration.tlsMode {
        case .disable:
            tls = .disable
        case .prefer:
            tls = .prefer(tlsConfiguration(configuration))
        case .require, .verifyFull:
            tls = .require(tlsConfiguration(configuration))
        }
        var client = PostgresClient.Configuration(host: configuration.host, port: configuration.port,
                                                  username: configuration.user, password: configuration.password,
                                                  database: configuration.database, tls: tls)
        client.options.maximumConnections = configuration.maximumConnections
        client.options.connectTimeout = .milliseconds(Int64(configuration.connectionTimeout * 1000))
        client.options.additionalStartupParameters = [
            // Unqualified names mean kubeid's schema (pg_catalog is always searched first).
            ("search_path", "\"\(configuration.schema)\""),
            ("application_name", configuration.applicationName),
            ("TimeZone", "UTC"),
        ]
        return client
    }
}
