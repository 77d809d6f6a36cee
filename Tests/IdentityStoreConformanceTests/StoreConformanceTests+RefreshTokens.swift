import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func refreshTokensCreateGetAndListNewestFirst(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let oldest = Fixtures.refreshToken("rt-1", familyID: "f-1", createdAt: Fixtures.date(0), state: .rotated)
            var middle = Fixtures.refreshToken("rt-2", familyID: "f-1", createdAt: Fixtures.date(60))
            middle.rotatedAt = Fixtures.date(70)
            middle.successorID = "rt-3"
            middle.state = .revoked
            let newest = Fixtures.refreshToken("rt-3", familyID: "f-2", createdAt: Fixtures.date(120))
            let otherUser = Fixtures.refreshToken("rt-4", userObjectID: "u-2", createdAt: Fixtures.date(30))
            let otherTenant = Fixtures.refreshToken("rt-5", tenantID: Fixtures.otherTenantID, createdAt: Fixtures.date(30))
            for token in [middle, oldest, newest, otherUser, otherTenant] { try await store.createRefreshToken(token) }

            #expect(try await store.refreshToken(id: "rt-2") == middle)
            #expect(try await store.refreshToken(tokenHash: Fixtures.hash("refresh-rt-2")) == middle)
            #expect(try await store.refreshToken(id: "missing") == nil)
            #expect(try await store.refreshToken(tokenHash: Fixtures.hash("refresh-missing")) == nil)
            #expect(try await store.refreshTokens(tenantID: Fixtures.tenantID, userObjectID: "u-1")
                    == [newest, middle, oldest])
            #expect(try await store.refreshTokens(tenantID: Fixtures.otherTenantID, userObjectID: "u-1") == [otherTenant])
            #expect(try await store.refreshTokens(tenantID: Fixtures.tenantID, userObjectID: "nobody").isEmpty)

            await #expect(throws: StoreError.alreadyExists) {
                try await store.createRefreshToken(Fixtures.refreshToken("rt-1"))
            }
            var sameHash = Fixtures.refreshToken("rt-6")
            sameHash.tokenHash = oldest.tokenHash
            await #expect(throws: StoreError.alreadyExists) { try await store.createRefreshToken(sameHash) }
            #expect(try await store.refreshToken(id: "rt-6") == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func updateRefreshTokenAppliesOrAborts(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let token = Fixtures.refreshToken("rt-1")
            try await store.createRefreshToken(token)
            let used = try await store.updateRefreshToken(id: "rt-1") { token in
                token.lastUsedAt = Fixtures.date(3_600)
                token.expiresAt = Fixtures.date(3_600 + 86_400 * 90)
                token.id = "rt-other"  // ignored: id and hash cannot change
                token.tokenHash = Fixtures.hash("refresh-other")
            }
            var expected = token
            expected.lastUsedAt = Fixtures.date(3_600)
            expected.expiresAt = Fixtures.date(3_600 + 86_400 * 90)
            #expect(used == expected)
            #expect(try await store.refreshToken(tokenHash: token.tokenHash) == expected)
            #expect(try await store.refreshToken(id: "rt-other") == nil)

            await #expect(throws: Refused()) {
                try await store.updateRefreshToken(id: "rt-1") { token in
                    token.state = .revoked
                    throw Refused()
                }
            }
            #expect(try await store.refreshToken(id: "rt-1") == expected)
            await #expect(throws: StoreError.notFound) {
                try await store.updateRefreshToken(id: "missing") { $0.state = .revoked }
            }
        }
    }

    /// Compare-and-swap (docs/storage.md, The conformance suite): of 50 concurrent refreshes
    /// presenting one token, exactly one rotates it.
    @Test(arguments: StoreBackend.available)
    func concurrentRotationsOfOneRefreshTokenHaveOneWinner(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.createRefreshToken(Fixtures.refreshToken("rt-1"))
            let outcomes = await concurrently(50) { index in
                try await store.updateRefreshToken(id: "rt-1") { token in
                    guard token.state == .active else { throw Refused(reason: "not active") }
                    token.state = .rotated
                    token.rotatedAt = Fixtures.date(1)
                    token.successorID = "rt-successor-\(index)"
                }
            }
            let winners = outcomes.compactMap { try? $0.get() }
            let losers = outcomes.compactMap(\.failure)
            #expect(winners.count == 1)
            #expect(losers.count == 49)
            #expect(losers.allSatisfy { ($0 as? Refused) == Refused(reason: "not active") })
            let stored = try await store.refreshToken(id: "rt-1")
            #expect(stored?.state == .rotated)
            #expect(stored == winners.first)
        }
    }

    @Test(arguments: StoreBackend.available)
    func revokingAFamilyOrAUserMarksTheirTokens(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let tokens = [
                Fixtures.refreshToken("f1-a", familyID: "f-1", state: .rotated),
                Fixtures.refreshToken("f1-b", familyID: "f-1", state: .active),
                Fixtures.refreshToken("f1-c", familyID: "f-1", state: .revoked),
                Fixtures.refreshToken("f2-a", familyID: "f-2", state: .active),
                Fixtures.refreshToken("f3-a", familyID: "f-3", state: .rotated),
                Fixtures.refreshToken("f4-a", familyID: "f-4", userObjectID: "u-2"),
                Fixtures.refreshToken("f5-a", familyID: "f-5", tenantID: Fixtures.otherTenantID),
            ]
            for token in tokens { try await store.createRefreshToken(token) }
            func state(_ id: String) async throws -> RefreshTokenRecord.State? {
                try await store.refreshToken(id: id)?.state
            }

            #expect(try await store.revokeRefreshTokenFamily(familyID: "f-1", now: Fixtures.date(10)) == 2)
            #expect(try await store.revokeRefreshTokenFamily(familyID: "f-1", now: Fixtures.date(11)) == 0)
            #expect(try await store.revokeRefreshTokenFamily(familyID: "missing", now: Fixtures.date(11)) == 0)
            for id in ["f1-a", "f1-b", "f1-c"] { #expect(try await state(id) == .revoked, "\(id)") }
            #expect(try await state("f2-a") == .active)

            #expect(try await store.revokeRefreshTokens(tenantID: Fixtures.tenantID, userObjectID: "u-1",
                                                        now: Fixtures.date(20)) == 2)
            for id in ["f2-a", "f3-a"] { #expect(try await state(id) == .revoked, "\(id)") }
            #expect(try await state("f4-a") == .active)
            #expect(try await state("f5-a") == .active)
            #expect(try await store.revokeRefreshTokens(tenantID: Fixtures.tenantID, userObjectID: "u-1",
                                                        now: Fixtures.date(21)) == 0)
            // Nothing else about the tokens changes.
            var expected = tokens[3]
            expected.state = .revoked
            #expect(try await store.refreshToken(id: "f2-a") == expected)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deletingExpiredRefreshTokensIsBounded(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            for index in 0..<15 {
                try await store.createRefreshToken(Fixtures.refreshToken("expired-\(index)", lifetime: Double(index)))
            }
            try await store.createRefreshToken(Fixtures.refreshToken("live", lifetime: 1_000))
            let now = Fixtures.date(500)
            #expect(try await store.deleteExpiredRefreshTokens(now: now, limit: 0) == 0)
            #expect(try await store.deleteExpiredRefreshTokens(now: now, limit: 10) == 10)
            #expect(try await store.deleteExpiredRefreshTokens(now: now, limit: 10) == 5)
            #expect(try await store.deleteExpiredRefreshTokens(now: now, limit: 10) == 0)
            #expect(try await store.refreshTokens(tenantID: Fixtures.tenantID, userObjectID: "u-1").map(\.id) == ["live"])
            #expect(try await store.deleteExpiredRefreshTokens(now: Fixtures.date(1_000), limit: 10) == 1)
        }
    }
}
