import Cryptography
import Foundation
import IdentityCore
import IdentityStoreSQLite
import IdentityTesting
import OAuthProtocol
import Synchronization
import Testing

@Suite("Signing key ring")
struct KeyRingTests {
    @Test func startCreatesExactlyOneActiveRS256Key() async throws {
        let store = try SQLiteIdentityStore.inMemory()
        let clock = ManualClock()
        let ring = KeyRing(store: store, clock: clock)
        try await ring.start()
        try await ring.start()
        try await KeyRing(store: store, clock: clock).start()

        let records = try await store.signingKeys()
        try #require(records.count == 1)
        #expect(records[0].algorithm == "RS256")
        #expect(records[0].isActive(at: clock.now()))
        #expect(records[0].createdAt == clock.now())
        let active = try await ring.activeKey()
        #expect(active.record.keyID == records[0].keyID)
        #expect(active.algorithm == .rs256)
        #expect(active.privateKey.kind == .rsa(bits: 2048))
        // Entra-style key id: `kid` is the certificate's base64url SHA-1 thumbprint, equal to `x5t`.
        #expect(active.record.keyID == Base64URL.encode(active.certificate.sha1Thumbprint))
        #expect(active.record.keyID == active.x5t)
        #expect(try await ring.publishedKeys().map(\.record.keyID) == [records[0].keyID])
    }

    @Test func es256ConfigurationMakesAP256Key() async throws {
        let store = try SQLiteIdentityStore.inMemory()
        let ring = KeyRing(store: store, clock: ManualClock(), algorithm: .es256)
        try await ring.start()
        let active = try await ring.activeKey()
        #expect(active.algorithm == .es256)
        #expect(active.record.algorithm == "ES256")
        #expect(active.privateKey.kind == .p256)
        let jwk = active.publicJWK(issuer: nil)
        #expect(jwk.kty == "EC")
        #expect(jwk.crv == "P-256")
    }

    @Test func rotationActivatesANewKeyAndKeepsTheOldOnePublishedForTheRetention() async throws {
        let store = try SQLiteIdentityStore.inMemory()
        let clock = ManualClock()
        let retention: TimeInterval = 7200
        let ring = KeyRing(store: store, clock: clock, retiredKeyRetention: retention)
        try await ring.start()
        let old = try await ring.activeKey().record

        clock.advance(by: 60)
        let rotated = try await ring.rotate()
        #expect(rotated.keyID != old.keyID)
        #expect(try await ring.activeKey().record.keyID == rotated.keyID)
        #expect(try await ring.publishedKeys().map(\.record.keyID) == [old.keyID, rotated.keyID])
        let retired = try #require(try await store.signingKeys().first { $0.keyID == old.keyID })
        #expect(retired.retiredAt == clock.now())
        #expect(retired.removeAfter == clock.now().addingTimeInterval(retention))
        #expect(!retired.isActive(at: clock.now()))
        #expect(try await ring.verificationKeys().keys.sorted() == [old.keyID, rotated.keyID].sorted())

        clock.advance(by: retention - 1)
        #expect(try await ring.publishedKeys().map(\.record.keyID) == [old.keyID, rotated.keyID])
        clock.advance(by: 1)
        #expect(try await ring.publishedKeys().map(\.record.keyID) == [rotated.keyID])
        #expect(try await ring.verificationKeys().keys.sorted() == [rotated.keyID])
        #expect(try await ring.activeKey().record.keyID == rotated.keyID)
    }

    @Test(.timeLimit(.minutes(2)))
    func replicasRotatingAtTheSameInstantProduceExactlyOneNewKey() async throws {
        // Rotation race: every replica decided to rotate from the same active key; the
        // barrier makes them all reach the store's compare-and-swap together.
        let replicas = 10
        let base = try SQLiteIdentityStore.inMemory()
        let clock = ManualClock()
        let first = KeyRing(store: base, clock: clock)
        try await first.start()
        let original = try await first.activeKey().record.keyID
        clock.advance(by: 60)

        let shared = RotationBarrierStore(base: base, parties: replicas)
        let rings = (0..<replicas).map { _ in KeyRing(store: shared, clock: clock) }
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for ring in rings {
                group.addTask { try await ring.rotate().keyID }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }

        let records = try await base.signingKeys()
        #expect(records.count == 2)
        let active = records.filter { $0.isActive(at: clock.now()) }
        try #require(active.count == 1)
        #expect(active[0].keyID != original)
        #expect(Set(results) == [active[0].keyID])
        #expect(await shared.conflicts == replicas - 1)

        let expected = [original, active[0].keyID]
        for ring in rings + [first] {
            try await ring.reload()
            #expect(try await ring.publishedKeys().map(\.record.keyID) == expected)
            #expect(try await ring.activeKey().record.keyID == active[0].keyID)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func concurrentRotationsLeaveOneActiveKeyAndOneJWKS() async throws {
        let store = try SQLiteIdentityStore.inMemory()
        let clock = ManualClock()
        let rings = (0..<6).map { _ in KeyRing(store: store, clock: clock) }
        try await rings[0].start()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for ring in rings {
                group.addTask { try await ring.rotate() }
            }
            try await group.waitForAll()
        }
        let records = try await store.signingKeys()
        #expect(records.filter { $0.isActive(at: clock.now()) }.count == 1)
        #expect(records.filter { $0.retiredAt == nil }.count == 1)
        clock.advance(by: 1)
        var sets: Set<Set<String>> = []
        for ring in rings {
            sets.insert(Set(try await ring.publishedKeys().map(\.record.keyID)))
        }
        #expect(sets == [Set(records.map(\.keyID))])
    }

    @Test func anotherReplicaPublishesARotatedKeyWithinOneSecond() async throws {
        // Rotation race: within a second every replica serves the same JWKS.
        let store = try SQLiteIdentityStore.inMemory()
        let clock = ManualClock()
        let rotating = KeyRing(store: store, clock: clock)
        let other = KeyRing(store: store, clock: clock)
        try await rotating.start()
        try await other.start()
        clock.advance(by: 30)
        // `other` has just re-read the store when the rotation happens.
        let old = try await other.activeKey().record.keyID
        #expect(try await other.publishedKeys().map(\.record.keyID) == [old])

        let new = try await rotating.rotate().keyID
        clock.advance(by: 1)
        #expect(try await other.publishedKeys().map(\.record.keyID) == [old, new])
        #expect(try await other.activeKey().record.keyID == new)
    }

    @Test func tokensSignedBeforeRotationStillVerifyAfterIt() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let before = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
        let oldKeyID = try #require(DecodedJWT(before.accessToken).header["kid"] as? String)

        let rotated = try await test.issuer.keyRing.rotate()
        #expect(rotated.keyID != oldKeyID)
        let after = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
        #expect(try DecodedJWT(after.accessToken).header["kid"] as? String == rotated.keyID)

        for token in [before.accessToken, after.accessToken] {
            for engine in [JWTEngine.libjwt, .openSSL] {
                let claims = try await test.verify(token, audience: AKS.serverAppID, tenantID: fixture.tenant.id,
                                                   engine: engine)
                #expect(claims.subject == fixture.pipeline.servicePrincipal.objectID)
            }
        }
    }

    @Test func requestsArrivingWhileTheRingReloadsShareOneStoreRead() async throws {
        // Under load every request found the ring stale at once and each re-read the store.
        let base = try SQLiteIdentityStore.inMemory()
        let clock = ManualClock()
        let counting = CountingSigningKeyStore(base: base, readDelay: .milliseconds(50))
        let ring = KeyRing(store: counting, clock: clock)
        try await ring.start()
        let active = try await ring.activeKey().record.keyID
        let readsAfterStart = counting.reads
        clock.advance(by: 2)

        let keyIDs = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 { group.addTask { try await ring.activeKey().record.keyID } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(keyIDs == Array(repeating: active, count: 50))
        #expect(counting.reads - readsAfterStart == 1)
        // Fresh again: no read at all.
        _ = try await ring.activeKey()
        #expect(counting.reads - readsAfterStart == 1)
    }

    @Test func aFailedReloadIsRetriedByTheNextRequest() async throws {
        let base = try SQLiteIdentityStore.inMemory()
        let clock = ManualClock()
        let counting = CountingSigningKeyStore(base: base, readDelay: nil)
        let ring = KeyRing(store: counting, clock: clock)
        try await ring.start()
        let readsAfterStart = counting.reads
        clock.advance(by: 2)
        counting.failing = true
        await #expect(throws: StoreError.self) { try await ring.activeKey() }
        await #expect(throws: StoreError.self) { try await ring.activeKey() }
        counting.failing = false
        _ = try await ring.activeKey()
        #expect(counting.reads - readsAfterStart == 3)
    }
}

/// A signing-key store that counts `signingKeys` reads, can make them slow or fail.
final class CountingSigningKeyStore: SigningKeyStore {
    private let base: any SigningKeyStore
    private let readDelay: Duration?
    private let state = Mutex((reads: 0, failing: false))

    init(base: any SigningKeyStore, readDelay: Duration?) {
        self.base = base
        self.readDelay = readDelay
    }

    var reads: Int { state.withLock { $0.reads } }
    var failing: Bool {
        get { state.withLock { $0.failing } }
        set { state.withLock { $0.failing = newValue } }
    }

    func signingKeys() async throws -> [SigningKeyRecord] {
        let failing = state.withLock { state in
            state.reads += 1
            return state.failing
        }
        if let readDelay { try await Task.sleep(for: readDelay) }
        if failing { throw StoreError.unavailable("the test cut the store") }
        return try await base.signingKeys()
    }

    func rotateSigningKey(expectedLatestKeyID: String?, newKey: SigningKeyRecord, retiredRemoveAfter: Date) async throws {
        try await base.rotateSigningKey(expectedLatestKeyID: expectedLatestKeyID, newKey: newKey, retiredRemoveAfter: retiredRemoveAfter)
    }

    func deleteRemovedSigningKeys(now: Date, limit: Int) async throws -> Int {
        try await base.deleteRemovedSigningKeys(now: now, limit: limit)
    }
}

/// A signing-key store that holds every `rotateSigningKey` until `parties` callers have
/// arrived, then lets them all through at once; counts the compare-and-swaps that lost.
final class RotationBarrierStore: SigningKeyStore {
    private let base: any SigningKeyStore
    private let barrier: Barrier

    init(base: any SigningKeyStore, parties: Int) {
        self.base = base
        self.barrier = Barrier(parties: parties)
    }

    var conflicts: Int { get async { await barrier.conflicts } }

    func signingKeys() async throws -> [SigningKeyRecord] {
        try await base.signingKeys()
    }

    func rotateSigningKey(expectedLatestKeyID: String?, newKey: SigningKeyRecord, retiredRemoveAfter: Date) async throws {
        await barrier.arrive()
        do {
            try await base.rotateSigningKey(expectedLatestKeyID: expectedLatestKeyID, newKey: newKey,
                                            retiredRemoveAfter: retiredRemoveAfter)
        } catch let error as StoreError where error.code == .conflict {
            await barrier.recordConflict()
            throw error
        }
    }

    func deleteRemovedSigningKeys(now: Date, limit: Int) async throws -> Int {
        try await base.deleteRemovedSigningKeys(now: now, limit: limit)
    }

    actor Barrier {
        private let parties: Int
        private var arrived = 0
        private var waiting: [CheckedContinuation<Void, Never>] = []
        private(set) var conflicts = 0

        init(parties: Int) { self.parties = parties }

        func arrive() async {
            arrived += 1
            if arrived >= parties {
                for continuation in waiting { continuation.resume() }
                waiting = []
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func recordConflict() { conflicts += 1 }
    }
}
