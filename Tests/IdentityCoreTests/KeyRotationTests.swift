import Cryptography
import Foundation
import IdentityCore
import IdentityStoreSQLite
import IdentityTesting
import Synchronization
import Testing

/// Automatic rotation with pre-publication, on an injected clock: every instant a key changes
/// state is stepped through, on one instance and on two sharing a database file.
@Suite("Automatic signing key rotation")
struct KeyRotationTests {
    static let day: TimeInterval = 86_400
    /// A key signs 10 days; its successor is published 2 days before it takes over; a retired key
    /// stays published 1 day (the longest token plus a margin, shortened for the test).
    static let policy = KeyRotationPolicy(interval: 10 * day, prepublication: 2 * day)
    static let retention: TimeInterval = 1 * day

    static func ring(_ store: any SigningKeyStore, _ clock: ManualClock) -> KeyRing {
        KeyRing(store: store, clock: clock, retiredKeyRetention: retention, rotation: policy)
    }

    @Test func aWholeCyclePublishesThenSignsThenRetiresThenRemoves() async throws {
        let store = try SQLiteIdentityStore.inMemory()
        let clock = ManualClock()
        let start = clock.now()
        let ring = Self.ring(store, clock)
        try await ring.start()
        let first = try await ring.activeKey().record
        #expect(try await ring.nextRotation() == start.addingTimeInterval(10 * Self.day))

        // Not due until 8 days in (10 days of signing less 2 of pre-publication).
        clock.advance(by: 8 * Self.day - 1)
        #expect(try await ring.rotateIfDue() == nil)
        #expect(try await store.signingKeys().count == 1)

        // Published: in the JWKS, not signing; the first key signs on.
        clock.advance(by: 1)
        let second = try #require(try await ring.rotateIfDue())
        #expect(second.createdAt == clock.now())
        #expect(second.activatedAt == start.addingTimeInterval(10 * Self.day))
        #expect(try await ring.publishedKeys().map(\.record.keyID) == [first.keyID, second.keyID])
        #expect(try await ring.activeKey().record.keyID == first.keyID)
        #expect(try await ring.nextRotation() == second.activatedAt)
        // Checking again (or from another instance) publishes nothing more.
        #expect(try await ring.rotateIfDue() == nil)
        #expect(try await store.signingKeys().count == 2)

        // Signs: at its activation instant, without another store write, the new key signs.
        clock.advance(by: 2 * Self.day - 1)
        #expect(try await ring.activeKey().record.keyID == first.keyID)
        clock.advance(by: 1)
        #expect(try await ring.activeKey().record.keyID == second.keyID)
        #expect(try await ring.nextRotation() == start.addingTimeInterval(20 * Self.day))

        // Retired: still published for the retention, so its tokens verify.
        let retired = try #require(try await store.signingKeys().first { $0.keyID == first.keyID })
        #expect(retired.retiredAt == second.activatedAt)
        #expect(retired.removeAfter == second.activatedAt?.addingTimeInterval(Self.retention))
        clock.advance(by: Self.retention - 1)
        #expect(try await ring.verificationKeys().keys.sorted() == [first.keyID, second.keyID].sorted())

        // Removed: out of the JWKS, then deleted by the garbage collector.
        clock.advance(by: 1)
        #expect(try await ring.publishedKeys().map(\.record.keyID) == [second.keyID])
        let report = try await GarbageCollector(store: store, clock: clock).collect()
        #expect(report.signingKeys == 1)
        #expect(try await store.signingKeys().map(\.keyID) == [second.keyID])

        // And the next cycle starts on schedule: 8 days after the second key began to sign.
        clock.set(try #require(second.activatedAt).addingTimeInterval(8 * Self.day))
        let third = try #require(try await ring.rotateIfDue())
        #expect(third.activatedAt == second.activatedAt?.addingTimeInterval(10 * Self.day))
    }

    @Test func tokensAreNeverSignedWithAKeyPublishedLessThanThePrepublicationAgo() async throws {
        // An instance that was down past its rotation time must not sign with a brand-new key:
        // the old one signs on until the new one has been published long enough.
        let store = try SQLiteIdentityStore.inMemory()
        let clock = ManualClock()
        let ring = Self.ring(store, clock)
        try await ring.start()
        let first = try await ring.activeKey().record
        clock.advance(by: 30 * Self.day)
        let next = try #require(try await ring.rotateIfDue())
        #expect(next.activatedAt == clock.now().addingTimeInterval(Self.policy.prepublication))
        #expect(try await ring.activeKey().record.keyID == first.keyID)
    }

    @Test func anEmergencyRotationOvertakesAPrepublishedKey() async throws {
        let store = try SQLiteIdentityStore.inMemory()
        let clock = ManualClock()
        let ring = Self.ring(store, clock)
        try await ring.start()
        let first = try await ring.activeKey().record
        clock.advance(by: 8 * Self.day)
        let pending = try #require(try await ring.rotateIfDue())

        clock.advance(by: 3600)
        let emergency = try await ring.rotate()
        #expect(try await ring.activeKey().record.keyID == emergency.keyID)
        let records = try await store.signingKeys()
        // At every later instant exactly one key signs: neither the old key nor the overtaken
        // pending one comes back when their former times arrive.
        for offset in [0, Self.day, 2 * Self.day, 3 * Self.day] {
            let instant = clock.now().addingTimeInterval(offset)
            #expect(records.filter { $0.isActive(at: instant) }.map(\.keyID) == [emergency.keyID])
        }
        let overtaken = try #require(records.first { $0.keyID == pending.keyID })
        #expect(overtaken.retiredAt == clock.now())
        #expect(records.first { $0.keyID == first.keyID }?.retiredAt == clock.now())
        // The next automatic rotation counts from the emergency key's activation.
        #expect(try await ring.nextRotation() == clock.now().addingTimeInterval(10 * Self.day))
    }

    @Test func twoInstancesOnOneDatabasePublishOneKeyAndSwitchAtTheSameInstant() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeid-rotation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("kubeid.sqlite").path
        let clock = ManualClock()
        let instances = [Self.ring(try SQLiteIdentityStore(path: path), clock),
                         Self.ring(try SQLiteIdentityStore(path: path), clock)]
        try await instances[0].start()
        try await instances[1].start()
        let first = try await instances[0].activeKey().record.keyID
        #expect(try await instances[1].activeKey().record.keyID == first)

        // Both schedulers wake at the due instant together: one publishes, one finds it done.
        clock.advance(by: 8 * Self.day)
        let published = try await withThrowingTaskGroup(of: SigningKeyRecord?.self) { group in
            for ring in instances { group.addTask { try await ring.rotateIfDue() } }
            return try await group.reduce(into: [SigningKeyRecord]()) { if let key = $1 { $0.append(key) } }
        }
        try #require(published.count == 1)
        let second = published[0].keyID
        let store = try SQLiteIdentityStore(path: path)
        #expect(try await store.signingKeys().map(\.keyID) == [first, second])
        clock.advance(by: 1)
        for ring in instances {
            #expect(try await ring.publishedKeys().map(\.record.keyID) == [first, second])
            #expect(try await ring.activeKey().record.keyID == first)
        }
        clock.advance(by: 2 * Self.day)
        for ring in instances {
            #expect(try await ring.activeKey().record.keyID == second)
        }
    }

    @Test func theSchedulerChecksOnItsIntervalAndSurvivesAStoreOutage() async throws {
        let base = try SQLiteIdentityStore.inMemory()
        let clock = ManualClock()
        let store = CountingSigningKeyStore(base: base, readDelay: nil)
        let ring = Self.ring(store, clock)
        try await ring.start()
        // Each "sleep" moves the clock one day; on day 3 the store is down for one check.
        let checks = Mutex(0)
        let scheduler = KeyRotationScheduler(keyRing: ring)
        await scheduler.run(every: .seconds(86_400)) { _ in
            let count = checks.withLock { $0 += 1; return $0 }
            store.failing = count == 3
            clock.advance(by: Self.day)
            if count == 12 { throw CancellationError() }
        }
        // Days 0...11 were checked: day 8 published the second key, day 10 it took over.
        let keys = try await base.signingKeys()
        #expect(keys.count == 2)
        #expect(keys.last?.activatedAt == keys.first?.createdAt.addingTimeInterval(10 * Self.day))
        #expect(try await ring.activeKey().record.keyID == keys.last?.keyID)
    }
}
