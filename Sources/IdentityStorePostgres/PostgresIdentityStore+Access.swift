import Foundation
import IdentityCore
internal import Logging
internal import PostgresNIO
import Synchronization

/// A transaction that failed in a way that trying it again can fix (deadlock, serialization
/// failure); carries the database's error for when the attempts run out.
struct RetryableTransactionFailure: Error {
    let underlying: any Error
}

/// The doors to the database every aggregate extension goes through, so no PostgresNIO error
/// escapes, no request waits for a connection longer than the configured timeout, and every
/// write is one transaction.
extension PostgresIdentityStore {
    /// How often a transaction that hit a deadlock or serialization failure is tried in all.
    static let transactionAttempts = 5

    /// Runs `body` on a pooled connection. Waiting for the connection is bounded: while the
    /// database is unreachable the pool queues requests for up to a minute before it gives up,
    /// and a token request must not hang that long, so after `connectionTimeout` without a
    /// connection the operation fails with ``StoreError/unavailable``. Once `body` runs, it is
    /// not interrupted (a statement in flight is the database's to finish or fail).
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let leased = LeaseFlag()
        let timeout = configuration.connectionTimeout
        let client = client
        let requested = ContinuousClock.now
        do {
            return try await withThrowingTaskGroup(of: Optional<T>.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        leased.set()
                        self.metrics.connectionWait(seconds: Elapsed.seconds(since: requested))
                        self.leaseChanged(by: 1)
                        defer { self.leaseChanged(by: -1) }
                        // The pool can hand out a connection the server has just closed (restart,
                        // failover, pg_terminate_backend) before it notices; a query written to a
                        // closed channel would never complete (PostgresNIO drops the write).
                        guard !connection.isClosed else {
                            throw StoreError.unavailable("database connection closed")
                        }
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
                    return nil
                }
                while let result = try await group.next() {
                    if let value = result {
                        group.cancelAll()
                        return value
                    }
                    if !leased.isSet {
                        group.cancelAll()
                        throw StoreError.unavailable("no database connection within \(timeout) s")
                    }
                }
                throw StoreError.unavailable("database operation ended without a result")
            }
        } catch {
            throw PostgresErrorMapping.storeError(from: error)
        }
    }

    private func leaseChanged(by delta: Int) {
        let inUse = connectionsInUse.withLock { count in
            count += delta
            return count
        }
        metrics.connections(inUse: inUse, maximum: configuration.maximumConnections)
    }

    /// One statement outside an explicit transaction (reads, and single-statement writes),
    /// timed under the store method's name (`operation` defaults to the caller's).
    func read<T: Sendable>(operation: String = #function,
                           _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await metrics.measure(operation) { try await withConnection(body) }
    }

    /// Runs `body` in a READ COMMITTED transaction and commits; rolls back when it throws.
    /// Deadlocks and serialization failures roll back and run `body` again (up to
    /// ``transactionAttempts`` times in all), so `body` must be safe to repeat.
    func transaction<T: Sendable>(operation: String = #function,
                                  _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await metrics.measure(operation) { try await retryingTransaction(body) }
    }

    private func retryingTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try await self.inTransaction(connection, body)
                }
            } catch let failure as RetryableTransactionFailure {
                guard attempt < Self.transactionAttempts else {
                    throw PostgresErrorMapping.storeError(from: failure.underlying)
                }
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int64.random(in: 5...(20 * Int64(attempt)))))
            }
        }
    }

    /// A transaction that writes directory or credential tables. It locks the directory version
    /// row first, so directory writes (rare: admin commands) serialise among themselves and
    /// can never deadlock on it against each other; the version triggers then bump it.
    func directoryTransaction<T: Sendable>(operation: String = #function,
                                           _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction(operation: operation) { connection in
            try await connection.query("SELECT version FROM directory_version WHERE id = 1 FOR UPDATE",
                                       logger: self.queryLogger)
            return try await body(connection)
        }
    }

    private func inTransaction<T: Sendable>(_ connection: PostgresConnection,
                                            _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await connection.query("BEGIN", logger: queryLogger)
        do {
            let value = try await body(connection)
            try await connection.query("COMMIT", logger: queryLogger)
            return value
        } catch {
            // A lost connection cannot roll back; the server does it when the session ends.
            _ = try? await connection.query("ROLLBACK", logger: queryLogger)
            if PostgresErrorMapping.isRetryable(error) {
                throw RetryableTransactionFailure(underlying: error)
            }
            throw error
        }
    }
}

/// Whether an operation got its connection (set once, read by the timeout).
private final class LeaseFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

extension PostgresConnection {
    /// Every row of the statement's result.
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresColumns] {
        try await self.query(query, logger: logger).collect().map(PostgresColumns.init)
    }

    /// The first row, or nil.
    func row(_ query: PostgresQuery, _ logger: Logger) async throws -> PostgresColumns? {
        try await rows(query, logger).first
    }

    /// Runs a statement, discarding any rows.
    func run(_ query: PostgresQuery, _ logger: Logger) async throws {
        _ = try await self.query(query, logger: logger).collect()
    }

    /// The `count` column of a one-row result (`SELECT count(*) AS count ...`).
    func count(_ query: PostgresQuery, _ logger: Logger) async throws -> Int {
        try await row(query, logger)?.int("count") ?? 0
    }

    /// Runs a statement with `RETURNING 1` (or any one-row-per-change result) and counts the rows.
    func changes(_ query: PostgresQuery, _ logger: Logger) async throws -> Int {
        try await self.query(query, logger: logger).collect().count
    }
}
