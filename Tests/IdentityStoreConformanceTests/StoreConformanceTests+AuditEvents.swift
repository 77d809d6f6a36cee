import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func auditEventsAppendAndQueryOldestFirst(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let events = [
                Fixtures.auditEvent("e-3", time: Fixtures.date(20), kind: "signin.failed",
                                    details: ["aadsts": "50126", "reason": "wrong password"]),
                Fixtures.auditEvent("e-1", time: Fixtures.date(0)),
                Fixtures.auditEvent("e-2b", time: Fixtures.date(10), tenantID: Fixtures.otherTenantID),
                Fixtures.auditEvent("e-2a", time: Fixtures.date(10), details: ["groups": "3"]),
                Fixtures.auditEvent("e-4", time: Fixtures.date(30), tenantID: nil, kind: "admin.key.rotated"),
            ]
            for event in events { try await store.appendAuditEvent(event) }
            await #expect(throws: StoreError.alreadyExists) {
                try await store.appendAuditEvent(Fixtures.auditEvent("e-1", time: Fixtures.date(40)))
            }
            let byID = Dictionary(uniqueKeysWithValues: events.map { ($0.id, $0) })
            func ids(_ tenantID: String?, since: Double, limit: Int) async throws -> [String] {
                try await store.auditEvents(tenantID: tenantID, since: Fixtures.date(since), limit: limit).map(\.id)
            }

            // Oldest first, ties by id; `since` is inclusive; events without a tenant only unfiltered.
            let all = try await store.auditEvents(tenantID: nil, since: Fixtures.date(-1), limit: 100)
            #expect(all.map(\.id) == ["e-1", "e-2a", "e-2b", "e-3", "e-4"])
            #expect(all == all.map { byID[$0.id]! })
            #expect(try await ids(Fixtures.tenantID, since: -1, limit: 100) == ["e-1", "e-2a", "e-3"])
            #expect(try await ids(Fixtures.otherTenantID, since: -1, limit: 100) == ["e-2b"])
            #expect(try await ids(nil, since: 10, limit: 100) == ["e-2a", "e-2b", "e-3", "e-4"])
            #expect(try await ids(Fixtures.tenantID, since: 10, limit: 1) == ["e-2a"])
            #expect(try await ids(nil, since: 0, limit: 2) == ["e-1", "e-2a"])
            #expect(try await ids(nil, since: 0, limit: 0).isEmpty)
            #expect(try await ids(nil, since: 30.001, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deletingAuditEventsIsBoundedAndStrictlyBefore(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            for index in 0..<15 {
                try await store.appendAuditEvent(Fixtures.auditEvent("old-\(index)", time: Fixtures.date(Double(index))))
            }
            try await store.appendAuditEvent(Fixtures.auditEvent("cutoff", time: Fixtures.date(100)))
            let before = Fixtures.date(100)
            #expect(try await store.deleteAuditEvents(before: before, limit: 0) == 0)
            #expect(try await store.deleteAuditEvents(before: before, limit: 10) == 10)
            // The oldest go first.
            #expect(try await store.auditEvents(tenantID: nil, since: Fixtures.date(-1), limit: 1).map(\.id) == ["old-10"])
            #expect(try await store.deleteAuditEvents(before: before, limit: 10) == 5)
            #expect(try await store.deleteAuditEvents(before: before, limit: 10) == 0)
            #expect(try await store.auditEvents(tenantID: nil, since: Fixtures.date(-1), limit: 10).map(\.id) == ["cutoff"])
        }
    }
}

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func auditEventBatchesAreAllOrNothing(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.appendAuditEvents([])
            try await store.appendAuditEvent(Fixtures.auditEvent("taken", time: Fixtures.date(0)))
            // One taken id refuses the whole batch.
            await #expect(throws: StoreError.alreadyExists) {
                try await store.appendAuditEvents([Fixtures.auditEvent("b-1", time: Fixtures.date(1)),
                                                   Fixtures.auditEvent("taken", time: Fixtures.date(2))])
            }
            // So does an id repeated inside the batch.
            await #expect(throws: StoreError.alreadyExists) {
                try await store.appendAuditEvents([Fixtures.auditEvent("b-2", time: Fixtures.date(1)),
                                                   Fixtures.auditEvent("b-2", time: Fixtures.date(2))])
            }
            #expect(try await store.auditEvents(tenantID: nil, since: Fixtures.date(-1), limit: 10).map(\.id) == ["taken"])

            let batch = (0..<300).map { Fixtures.auditEvent(String(format: "e-%03d", $0), time: Fixtures.date(Double(10 + $0)),
                                                            details: ["n": String($0)]) }
            try await store.appendAuditEvents(batch)
            let stored = try await store.auditEvents(tenantID: nil, since: Fixtures.date(10), limit: 1_000)
            #expect(stored == batch)
        }
    }
}
