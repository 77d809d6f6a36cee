import Foundation
import IdentityCore
import IdentityStoreSQLite
import Synchronization
import Testing

@Suite("Batched audit events")
struct AuditBufferTests {
    private static func event(_ id: String, second: Double = 0) -> AuditEvent {
        AuditEvent(id: id, time: Date(timeIntervalSince1970: 1_800_000_000 + second), tenantID: "t", kind: "token.issued",
                   outcome: "success")
    }

    @Test func aFlushWritesEverythingInOrderAcrossBatches() async throws {
        let store = try SQLiteIdentityStore.inMemory()
        let buffer = AuditBuffer(store: store, batchSize: 7)
        let events = (0..<30).map { Self.event(String(format: "e-%02d", $0), second: Double($0)) }
        events.forEach(buffer.append)
        #expect(buffer.pendingCount == 30)
        await buffer.flush()
        #expect(buffer.pendingCount == 0)
        #expect(try await store.auditEvents(tenantID: nil, since: .distantPast, limit: 100) == events)
    }

    @Test func aFullBufferDropsNewEventsInsteadOfBlocking() async throws {
        let store = try SQLiteIdentityStore.inMemory()
        let buffer = AuditBuffer(store: store, capacity: 5)
        (0..<8).forEach { buffer.append(Self.event("e-\($0)", second: Double($0))) }
        #expect(buffer.pendingCount == 5)
        await buffer.flush()
        #expect(try await store.auditEvents(tenantID: nil, since: .distantPast, limit: 100).map(\.id)
            == ["e-0", "e-1", "e-2", "e-3", "e-4"])
    }

    @Test func eventsSurviveAStoreOutageAndAreWrittenWhenItReturns() async throws {
        let store = OutageAuditStore(base: try SQLiteIdentityStore.inMemory())
        let buffer = AuditBuffer(store: store, batchSize: 2)
        (0..<5).forEach { buffer.append(Self.event("e-\($0)", second: Double($0))) }
        store.down = true
        await buffer.flush()
        #expect(buffer.pendingCount == 5)
        buffer.append(Self.event("e-5", second: 5))
        store.down = false
        await buffer.flush()
        #expect(buffer.pendingCount == 0)
        #expect(try await store.auditEvents(tenantID: nil, since: .distantPast, limit: 100).map(\.id)
            == ["e-0", "e-1", "e-2", "e-3", "e-4", "e-5"])
    }

    @Test func aBatchWhoseFirstAttemptWasStoredIsNotWrittenTwice() async throws {
        // A batch committed but reported as failed (lost reply) comes back as a duplicate: the
        // events already stored are skipped, the rest written.
        let base = try SQLiteIdentityStore.inMemory()
        try await base.appendAuditEvent(Self.event("e-0"))
        let buffer = AuditBuffer(store: base)
        buffer.append(Self.event("e-0"))
        buffer.append(Self.event("e-1", second: 1))
        await buffer.flush()
        #expect(try await base.auditEvents(tenantID: nil, since: .distantPast, limit: 100).map(\.id) == ["e-0", "e-1"])
    }

    /// The loop waits through the injected sleep (no real time passes): each wait follows a
    /// flush, and when the wait ends the loop (cancellation) one last flush writes what came in.
    @Test func runWritesOnEachTickAndOnceMoreWhenStopped() async throws {
        let store = try SQLiteIdentityStore.inMemory()
        let buffer = AuditBuffer(store: store)
        buffer.append(Self.event("tick"))
        let seenBeforeEachWait = Mutex<[[String]]>([])
        let intervals = Mutex<[Duration]>([])
        await buffer.run(every: .seconds(3600)) { interval in
            intervals.withLock { $0.append(interval) }
            let stored = try await store.auditEvents(tenantID: nil, since: .distantPast, limit: 10).map(\.id)
            let waits = seenBeforeEachWait.withLock { $0.append(stored); return $0.count }
            if waits == 3 {
                buffer.append(Self.event("last", second: 1))
                throw CancellationError()
            }
        }
        #expect(seenBeforeEachWait.withLock { $0 } == [[], ["tick"], ["tick"]])
        #expect(intervals.withLock { $0 } == [.seconds(3600), .seconds(3600), .seconds(3600)])
        #expect(try await store.auditEvents(tenantID: nil, since: .distantPast, limit: 10).map(\.id) == ["tick", "last"])
    }

    /// A cancelled task ends the loop too, with the same last flush.
    @Test func cancellingTheTaskFlushesOnceMore() async throws {
        let store = try SQLiteIdentityStore.inMemory()
        let buffer = AuditBuffer(store: store)
        let (waits, waited) = AsyncStream.makeStream(of: Void.self)
        let writer = Task {
            await buffer.run(every: .seconds(3600)) { _ in
                waited.yield()
                // Parks until cancelled, as Task.sleep would for an hour.
                try await Task.sleep(for: .seconds(86_400))
            }
        }
        var iterator = waits.makeAsyncIterator()
        _ = await iterator.next()
        buffer.append(Self.event("last"))
        writer.cancel()
        await writer.value
        #expect(try await store.auditEvents(tenantID: nil, since: .distantPast, limit: 10).map(\.id) == ["last"])
    }
}

/// An audit store that can be switched off, as a database that went away.
final class OutageAuditStore: AuditEventStore {
    private let base: any AuditEventStore
    private let isDown = Mutex(false)

    init(base: any AuditEventStore) { self.base = base }

    var down: Bool {
        get { isDown.withLock { $0 } }
        set { isDown.withLock { $0 = newValue } }
    }

    private func check() throws {
        if down { throw StoreError.unavailable("the test took the store down") }
    }

    func appendAuditEvent(_ event: AuditEvent) async throws {
        try check()
        try await base.appendAuditEvent(event)
    }

    func appendAuditEvents(_ events: [AuditEvent]) async throws {
        try check()
        try await base.appendAuditEvents(events)
    }

    func auditEvents(tenantID: String?, since: Date, limit: Int) async throws -> [AuditEvent] {
        try await base.auditEvents(tenantID: tenantID, since: since, limit: limit)
    }

    func deleteAuditEvents(before: Date, limit: Int) async throws -> Int {
        try await base.deleteAuditEvents(before: before, limit: limit)
    }
}
