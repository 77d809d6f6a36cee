import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func rotationIsACompareAndSwap(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            #expect(try await store.signingKeys().isEmpty)
            await #expect(throws: StoreError.conflict) {
                try await store.rotateSigningKey(expectedLatestKeyID: "none-yet", newKey: Fixtures.signingKey("k0"),
                                                 retiredRemoveAfter: Fixtures.date(100))
            }

            let first = Fixtures.signingKey("k1", activatedAt: Fixtures.date(0))
            try await store.rotateSigningKey(expectedLatestKeyID: nil, newKey: first,
                                             retiredRemoveAfter: Fixtures.date(100))
            #expect(try await store.signingKeys() == [first])

            // Stale callers lose: one that believes there is no key, one that names another key.
            await #expect(throws: StoreError.conflict) {
                try await store.rotateSigningKey(expectedLatestKeyID: nil, newKey: Fixtures.signingKey("k2"),
                                                 retiredRemoveAfter: Fixtures.date(100))
            }
            await #expect(throws: StoreError.conflict) {
                try await store.rotateSigningKey(expectedLatestKeyID: "k0", newKey: Fixtures.signingKey("k2"),
                                                 retiredRemoveAfter: Fixtures.date(100))
            }
            #expect(try await store.signingKeys() == [first])

            let second = Fixtures.signingKey("k2", activatedAt: Fixtures.date(10))
            try await store.rotateSigningKey(expectedLatestKeyID: "k1", newKey: second,
                                             retiredRemoveAfter: Fixtures.date(3_600))
            var retired = first
            retired.retiredAt = second.activatedAt
            retired.removeAfter = Fixtures.date(3_600)
            #expect(try await store.signingKeys() == [retired, second])
            #expect(retired.isActive(at: Fixtures.date(10)) == false)
            #expect(retired.isPublished(at: Fixtures.date(3_599)))
        }
    }

    /// A pre-published key (activation in the future) is the latest key; an emergency rotation
    /// that overtakes it retires both it and the key still signing, so one key signs at a time.
    @Test(arguments: StoreBackend.available)
    func aRotationOvertakingAPrepublishedKeyRetiresEveryKeyThatWouldStillSign(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let first = Fixtures.signingKey("k1", activatedAt: Fixtures.date(0))
            try await store.rotateSigningKey(expectedLatestKeyID: nil, newKey: first, retiredRemoveAfter: Fixtures.date(100))
            var pending = Fixtures.signingKey("k2", activatedAt: Fixtures.date(50))
            pending.createdAt = Fixtures.date(10)
            try await store.rotateSigningKey(expectedLatestKeyID: "k1", newKey: pending, retiredRemoveAfter: Fixtures.date(150))
            var signing = first
            signing.retiredAt = Fixtures.date(50)
            signing.removeAfter = Fixtures.date(150)
            #expect(try await store.signingKeys() == [signing, pending])
            #expect(signing.isActive(at: Fixtures.date(49)) && !pending.isActive(at: Fixtures.date(49)))

            // The pending key is what the next compare-and-swap expects, not the one signing.
            await #expect(throws: StoreError.conflict) {
                try await store.rotateSigningKey(expectedLatestKeyID: "k1", newKey: Fixtures.signingKey("k3", activatedAt: Fixtures.date(20)),
                                                 retiredRemoveAfter: Fixtures.date(120))
            }
            let emergency = Fixtures.signingKey("k3", activatedAt: Fixtures.date(20))
            try await store.rotateSigningKey(expectedLatestKeyID: "k2", newKey: emergency, retiredRemoveAfter: Fixtures.date(120))
            let keys = try await store.signingKeys()
            #expect(keys.map(\.keyID) == ["k1", "k2", "k3"])
            #expect(keys.map(\.retiredAt) == [Fixtures.date(20), Fixtures.date(20), nil])
            #expect(keys.map(\.removeAfter) == [Fixtures.date(120), Fixtures.date(120), nil])
            for instant in [20.0, 49, 50, 51, 1_000] {
                #expect(keys.filter { $0.isActive(at: Fixtures.date(instant)) }.map(\.keyID) == ["k3"])
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func concurrentRotationsFromTheSameKeyHaveOneWinner(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.rotateSigningKey(expectedLatestKeyID: nil, newKey: Fixtures.signingKey("k0"),
                                             retiredRemoveAfter: Fixtures.date(100))
            let outcomes = await withTaskGroup(of: Result<String, any Error>.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let key = Fixtures.signingKey("k-\(index)", activatedAt: Fixtures.date(1))
                        do {
                            try await store.rotateSigningKey(expectedLatestKeyID: "k0", newKey: key,
                                                             retiredRemoveAfter: Fixtures.date(100))
                            return .success(key.keyID)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap { try? $0.get() }
            let losers = outcomes.compactMap { outcome -> (any Error)? in
                if case .failure(let error) = outcome { return error } else { return nil }
            }
            #expect(winners.count == 1)
            #expect(losers.count == 49)
            #expect(losers.allSatisfy { ($0 as? StoreError) == .conflict })

            let keys = try await store.signingKeys()
            #expect(keys.count == 2)
            #expect(keys.filter { $0.activatedAt != nil && $0.retiredAt == nil }.map(\.keyID) == winners)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deletingRemovedKeysIsBoundedAndDueOnly(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            var active: String? = nil
            for index in 0..<6 {
                let key = Fixtures.signingKey("k\(index)", activatedAt: Fixtures.date(Double(index)))
                // k0...k4 get removeAfter = 100 + index when the next key replaces them.
                try await store.rotateSigningKey(expectedLatestKeyID: active, newKey: key,
                                                 retiredRemoveAfter: Fixtures.date(Double(99 + index)))
                active = key.keyID
            }
            #expect(try await store.deleteRemovedSigningKeys(now: Fixtures.date(50), limit: 10) == 0)
            #expect(try await store.deleteRemovedSigningKeys(now: Fixtures.date(102), limit: 0) == 0)
            #expect(try await store.deleteRemovedSigningKeys(now: Fixtures.date(102), limit: 2) == 2)
            #expect(try await store.deleteRemovedSigningKeys(now: Fixtures.date(102), limit: 2) == 1)
            #expect(try await store.deleteRemovedSigningKeys(now: Fixtures.date(102), limit: 2) == 0)
            #expect(try await store.signingKeys().map(\.keyID) == ["k3", "k4", "k5"])
            #expect(try await store.deleteRemovedSigningKeys(now: Fixtures.date(10_000), limit: 100) == 2)
            #expect(try await store.signingKeys().map(\.keyID) == ["k5"])
        }
    }
}

extension StoreConformanceTests {
    /// `kubeid keys rewrap` replaces a key's sealed text only if it is still what it read.
    @Test(arguments: StoreBackend.available)
    func privateKeyTextIsReplacedCompareAndSwap(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let key = Fixtures.signingKey("k1", activatedAt: Fixtures.date(0))
            try await store.rotateSigningKey(expectedLatestKeyID: nil, newKey: key, retiredRemoveAfter: Fixtures.date(100))
            #expect(try await store.replaceSigningKeyPrivateKey(keyID: "k1", expected: "stale", replacement: "x") == false)
            #expect(try await store.replaceSigningKeyPrivateKey(keyID: "k1", expected: key.privateKeyPEM,
                                                                replacement: "kubeid-sealed:v1:kek-1:a:b"))
            #expect(try await store.signingKeys().first?.privateKeyPEM == "kubeid-sealed:v1:kek-1:a:b")
            #expect(try await store.replaceSigningKeyPrivateKey(keyID: "k1", expected: key.privateKeyPEM,
                                                                replacement: "again") == false)
            #expect(try await store.replaceSigningKeyPrivateKey(keyID: "missing", expected: "", replacement: "x") == false)
            var expected = key
            expected.privateKeyPEM = "kubeid-sealed:v1:kek-1:a:b"
            #expect(try await store.signingKeys() == [expected])
        }
    }
}
