import Foundation
import IdentityCore
import IdentityStoreSQLite
@_spi(Testing) import IdentityStorePostgres
import MetricsTestKit
import Testing

/// Each backend times its operations under the store method's name, counts errors by code, and
/// PostgreSQL reports its pool: leased connections, the pool's size, the wait for a connection.
@Suite("Store metrics")
struct StoreMetricsTests {
    @Test func sqliteTimesOperationsAndCountsErrorsByCode() async throws {
        let recorded = TestMetrics()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeid-store-metrics-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteIdentityStore(path: directory.appendingPathComponent("kubeid.sqlite").path,
                                            metrics: StoreMetrics(factory: recorded, backend: "sqlite"))
        try await exercise(store)
        try expectOperations(recorded, backend: "sqlite")
    }

    @Test(.enabled(if: StoreBackend.postgresURL != nil))
    func postgresAlsoReportsItsPool() async throws {
        let recorded = TestMetrics()
        let configuration = try StoreBackend.freshPostgresConfiguration()
        let store = try await PostgresIdentityStore.open(configuration, metrics: StoreMetrics(factory: recorded, backend: "postgres"))
        do {
            try await exercise(store)
            try expectOperations(recorded, backend: "postgres")
            let inUse = try recorded.expectGauge("kubeid_store_connections_in_use", [("backend", "postgres")])
            #expect(inUse.lastValue == 0)
            #expect(inUse.values.contains(1))
            #expect(try recorded.expectGauge("kubeid_store_connections_max", [("backend", "postgres")]).lastValue
                    == Double(configuration.maximumConnections))
            #expect(try recorded.expectTimer("kubeid_store_connection_wait_seconds", [("backend", "postgres")]).values.count >= 3)
        } catch {
            try? await store.dropSchema()
            await store.close()
            throw error
        }
        try? await store.dropSchema()
        await store.close()
    }

    /// Two reads, a lost compare-and-swap, a missing object.
    private func exercise(_ store: any IdentityStore) async throws {
        _ = try await store.signingKeys()
        _ = try await store.signingKeys()
        await #expect(throws: StoreError.conflict) {
            try await store.rotateSigningKey(expectedLatestKeyID: "none", newKey: Fixtures.signingKey("k1"),
                                             retiredRemoveAfter: Fixtures.date(100))
        }
    }

    private func expectOperations(_ recorded: TestMetrics, backend: String) throws {
        let reads = try recorded.expectTimer("kubeid_store_operation_duration_seconds",
                                             [("backend", backend), ("operation", "signingKeys")])
        #expect(reads.values.count == 2)
        #expect(reads.values.allSatisfy { $0 > 0 })
        let rotations = try recorded.expectTimer("kubeid_store_operation_duration_seconds",
                                                 [("backend", backend), ("operation", "rotateSigningKey")])
        #expect(rotations.values.count == 1)
        #expect(try recorded.expectCounter("kubeid_store_errors_total",
                                           [("backend", backend), ("operation", "rotateSigningKey"), ("code", "conflict")])
            .totalValue == 1)
        #expect(throws: (any Error).self) {
            try recorded.expectCounter("kubeid_store_errors_total", [("backend", backend), ("operation", "signingKeys"), ("code", "conflict")])
        }
    }
}
