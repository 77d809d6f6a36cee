import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func authorizationCodesCreateGetAndUpdate(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let withPKCE = Fixtures.authorizationCode("a")
            var plain = Fixtures.authorizationCode("b")
            plain.codeChallenge = nil
            plain.codeChallengeMethod = nil
            plain.nonce = "nonce-b"
            plain.authenticationMethods = []
            for code in [withPKCE, plain] { try await store.createAuthorizationCode(code) }

            #expect(try await store.authorizationCode(codeHash: Fixtures.hash("code-a")) == withPKCE)
            #expect(try await store.authorizationCode(codeHash: Fixtures.hash("code-b")) == plain)
            #expect(try await store.authorizationCode(codeHash: Fixtures.hash("code-c")) == nil)
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createAuthorizationCode(Fixtures.authorizationCode("a"))
            }

            let redeemed = try await store.updateAuthorizationCode(codeHash: withPKCE.codeHash) { code in
                code.redeemedAt = Fixtures.date(10)
                code.issuedRefreshTokenFamilyID = "family-1"
                code.codeHash = Fixtures.hash("code-other")  // ignored: the key cannot change
            }
            var expected = withPKCE
            expected.redeemedAt = Fixtures.date(10)
            expected.issuedRefreshTokenFamilyID = "family-1"
            #expect(redeemed == expected)
            #expect(try await store.authorizationCode(codeHash: withPKCE.codeHash) == expected)
            #expect(try await store.authorizationCode(codeHash: Fixtures.hash("code-other")) == nil)

            await #expect(throws: Refused()) {
                try await store.updateAuthorizationCode(codeHash: plain.codeHash) { code in
                    code.redeemedAt = Fixtures.date(10)
                    throw Refused()
                }
            }
            #expect(try await store.authorizationCode(codeHash: plain.codeHash) == plain)
            await #expect(throws: StoreError.notFound) {
                try await store.updateAuthorizationCode(codeHash: Fixtures.hash("code-missing")) {
                    $0.redeemedAt = Fixtures.date(10)
                }
            }
        }
    }

    /// RFC 6749 §4.1.2: a code is redeemed once. Every redemption runs the check in its closure;
    /// the store's serialisation lets exactly one see `redeemedAt == nil`.
    @Test(arguments: StoreBackend.available)
    func concurrentRedemptionsOfOneCodeHaveOneWinner(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let code = Fixtures.authorizationCode("a")
            try await store.createAuthorizationCode(code)
            let outcomes = await concurrently(50) { index in
                try await store.updateAuthorizationCode(codeHash: code.codeHash) { code in
                    guard code.redeemedAt == nil else { throw Refused(reason: "already redeemed") }
                    code.redeemedAt = Fixtures.date(1)
                    code.issuedRefreshTokenFamilyID = "family-\(index)"
                }
            }
            let winners = outcomes.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            #expect(outcomes.compactMap(\.failure).allSatisfy { ($0 as? Refused) == Refused(reason: "already redeemed") })
            #expect(try await store.authorizationCode(codeHash: code.codeHash) == winners.first)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deletingExpiredAuthorizationCodesIsBounded(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            for index in 0..<15 {
                try await store.createAuthorizationCode(Fixtures.authorizationCode("expired-\(index)",
                                                                                   lifetime: Double(index)))
            }
            try await store.createAuthorizationCode(Fixtures.authorizationCode("live", lifetime: 600))
            let now = Fixtures.date(300)
            #expect(try await store.deleteExpiredAuthorizationCodes(now: now, limit: 0) == 0)
            #expect(try await store.deleteExpiredAuthorizationCodes(now: now, limit: 10) == 10)
            #expect(try await store.deleteExpiredAuthorizationCodes(now: now, limit: 10) == 5)
            #expect(try await store.deleteExpiredAuthorizationCodes(now: now, limit: 10) == 0)
            #expect(try await store.authorizationCode(codeHash: Fixtures.hash("code-expired-0")) == nil)
            #expect(try await store.authorizationCode(codeHash: Fixtures.hash("code-live")) != nil)
            #expect(try await store.deleteExpiredAuthorizationCodes(now: Fixtures.date(600), limit: 10) == 1)
        }
    }
}
