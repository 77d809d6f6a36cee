import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func recordOnceDetectsReplaysUntilExpiry(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let now = Fixtures.date(0)
            let expiresAt = Fixtures.date(60)
            let first = try await store.recordOnce(namespace: "jti", id: "a", expiresAt: expiresAt, now: now)
            #expect(first)
            #expect(try await store.recordOnce(namespace: "jti", id: "a", expiresAt: expiresAt, now: now) == false)
            #expect(try await store.recordOnce(namespace: "jti", id: "a", expiresAt: expiresAt,
                                               now: Fixtures.date(59)) == false)
            // Namespaces are separate.
            #expect(try await store.recordOnce(namespace: "other", id: "a", expiresAt: expiresAt, now: now))
            // From its expiry on, the entry counts as absent, and recording it again starts anew.
            #expect(try await store.recordOnce(namespace: "jti", id: "a", expiresAt: Fixtures.date(120),
                                               now: expiresAt))
            #expect(try await store.recordOnce(namespace: "jti", id: "a", expiresAt: Fixtures.date(120),
                                               now: Fixtures.date(100)) == false)
        }
    }

    @Test(arguments: StoreBackend.available)
    func concurrentRecordOnceHasOneWinner(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await store.recordOnce(namespace: "jti", id: "same", expiresAt: Fixtures.date(60),
                                                   now: Fixtures.date(0))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 50)
            #expect(results.filter { $0 }.count == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func purgeIsBoundedAndKeepsLiveEntries(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            for index in 0..<25 {
                _ = try await store.recordOnce(namespace: "jti", id: "expired-\(index)",
                                               expiresAt: Fixtures.date(Double(index)), now: Fixtures.date(-1))
            }
            for index in 0..<3 {
                _ = try await store.recordOnce(namespace: "jti", id: "live-\(index)",
                                               expiresAt: Fixtures.date(1_000), now: Fixtures.date(-1))
            }
            let now = Fixtures.date(500)
            #expect(try await store.purgeExpiredReplayEntries(now: now, limit: 10) == 10)
            #expect(try await store.purgeExpiredReplayEntries(now: now, limit: 10) == 10)
            #expect(try await store.purgeExpiredReplayEntries(now: now, limit: 10) == 5)
            #expect(try await store.purgeExpiredReplayEntries(now: now, limit: 10) == 0)
            #expect(try await store.purgeExpiredReplayEntries(now: Fixtures.date(5_000), limit: 0) == 0)
            for index in 0..<3 {
                #expect(try await store.recordOnce(namespace: "jti", id: "live-\(index)",
                                                   expiresAt: Fixtures.date(1_000), now: now) == false)
            }
        }
    }
}
