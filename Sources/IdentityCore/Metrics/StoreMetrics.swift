import CoreMetrics
import Foundation

/// What a store backend reports about itself (swift-metrics, on the same injected factory as
/// ``IssuerMetrics``): how long each operation takes and how often it fails, by backend and by
/// operation (the store method's name: a fixed set, never an argument), and for pooled backends
/// how many connections are leased and how long callers waited for one.
public struct StoreMetrics: Sendable {
    private let factory: any MetricsFactory
    /// `sqlite` or `postgres`.
    public let backend: String
    private let connectionsInUse: Gauge
    private let connectionsMaximum: Gauge

    public init(factory: any MetricsFactory, backend: String) {
        self.factory = factory
        self.backend = backend
        connectionsInUse = Gauge(label: "kubeid_store_connections_in_use", dimensions: [("backend", backend)], factory: factory)
        connectionsMaximum = Gauge(label: "kubeid_store_connections_max", dimensions: [("backend", backend)], factory: factory)
    }

    /// Records nothing.
    public static func disabled(backend: String) -> StoreMetrics {
        StoreMetrics(factory: NOOPMetricsHandler.instance, backend: backend)
    }

    /// Runs `body`, timing it as `operation` (a `#function` string; the argument list is cut
    /// off) and counting what it throws by ``StoreError`` code (`unavailable` is the one to
    /// alert on; `conflict` and `notFound` are answers, counted so their rates can be seen).
    public func measure<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let name = operation.firstIndex(of: "(").map { String(operation[..<$0]) } ?? operation
        let dimensions = [("backend", backend), ("operation", name)]
        let start = ContinuousClock.now
        do {
            let value = try await body()
            record(dimensions, since: start)
            return value
        } catch {
            record(dimensions, since: start)
            if !(error is CancellationError) {
                let code = (error as? StoreError)?.code.description ?? "other"
                CoreMetrics.Counter(label: "kubeid_store_errors_total", dimensions: dimensions + [("code", code)],
                                    factory: factory).increment()
            }
            throw error
        }
    }

    private func record(_ dimensions: [(String, String)], since start: ContinuousClock.Instant) {
        Timer(label: "kubeid_store_operation_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds,
              factory: factory).recordNanoseconds(Int64(Elapsed.seconds(since: start) * 1e9))
    }

    /// A pooled backend's connections: `inUse` leased now, `maximum` the pool's size.
    public func connections(inUse: Int, maximum: Int) {
        connectionsInUse.record(inUse)
        connectionsMaximum.record(maximum)
    }

    /// How long an operation waited for a pooled connection.
    public func connectionWait(seconds: Double) {
        Timer(label: "kubeid_store_connection_wait_seconds", dimensions: [("backend", backend)], preferredDisplayUnit: .seconds,
              factory: factory).recordNanoseconds(Int64(seconds * 1e9))
    }
}
