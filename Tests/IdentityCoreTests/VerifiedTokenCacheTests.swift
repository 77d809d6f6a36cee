import Cryptography
import Foundation
@testable import IdentityCore
import IdentityTesting
import Testing

/// The remembered signature checks of TokenReview: never used past `exp`, never grows past its
/// capacity, and never stands in for what the directory says now.
@Suite("TokenReview's verified-token cache")
struct VerifiedTokenCacheTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func claims(expiringIn seconds: TimeInterval?) throws -> JWTClaims {
        let exp = seconds.map { #","exp":\#(Int(start.timeIntervalSince1970 + $0))"# } ?? ""
        return try JWTClaims(json: Array(#"{"oid":"o"\#(exp)}"#.utf8))
    }

    @Test func anEntryIsNotUsedFromItsExpiry() throws {
        let cache = VerifiedTokenCache()
        cache.remember("t", claims: try claims(expiringIn: 60), keyID: "k1", now: start)
        #expect(cache.claims(of: "t", now: start.addingTimeInterval(59))?.keyID == "k1")
        #expect(cache.claims(of: "t", now: start.addingTimeInterval(60)) == nil)
        // ...and is gone, not just hidden.
        #expect(cache.count == 0)
        #expect(cache.claims(of: "another", now: start) == nil)
    }

    @Test func tokensWithoutExpiryOrAlreadyExpiredAreNotKept() throws {
        let cache = VerifiedTokenCache()
        cache.remember("no-exp", claims: try claims(expiringIn: nil), keyID: "k", now: start)
        cache.remember("expired", claims: try claims(expiringIn: -1), keyID: "k", now: start)
        #expect(cache.count == 0)
    }

    @Test func itNeverHoldsMoreThanItsCapacity() throws {
        let cache = VerifiedTokenCache(capacity: 4)
        for index in 0..<3 { cache.remember("short-\(index)", claims: try claims(expiringIn: 10), keyID: "k", now: start) }
        cache.remember("long", claims: try claims(expiringIn: 3600), keyID: "k", now: start)
        #expect(cache.count == 4)
        // Full: the expired entries go first and the live one stays.
        let later = start.addingTimeInterval(20)
        cache.remember("new", claims: try claims(expiringIn: 3600), keyID: "k", now: later)
        #expect(cache.count == 2 && cache.claims(of: "long", now: later) != nil)
        // Full of live tokens: it starts again rather than grow.
        for index in 0..<8 { cache.remember("live-\(index)", claims: try claims(expiringIn: 3600), keyID: "k", now: later) }
        #expect(cache.count <= 4)
    }

    @Test func aTokenReviewedTwiceStillSeesTheDirectoryAndTheClock() async throws {
        let harness = try await ClusterHarness.make()
        let token = try await harness.base.signInWithDeviceCode().accessToken
        let alice = harness.users.alice
        let inner = harness.users.directory.inner.objectID
        for _ in 0..<2 {
            guard case .authenticated(let user) = try await harness.review(token) else {
                Issue.record("refused")
                return
            }
            #expect(user.groups.contains(inner))
        }
        // A forged signature on the same header and payload is another token: checked, refused.
        let parts = token.split(separator: ".")
        let forged = try PrivateKey.generateRSA().sign(Array("\(parts[0]).\(parts[1])".utf8), algorithm: .rs256)
        #expect(try await harness.review("\(parts[0]).\(parts[1]).\(Base64URL.encode(forged))") == .refused("token signature is not valid"))

        // Membership removed after the first review: the next review's groups say so.
        try await harness.admin.removeGroupMember(tenant: "contoso", groupID: inner, memberID: alice.objectID)
        guard case .authenticated(let user) = try await harness.review(token) else {
            Issue.record("refused")
            return
        }
        #expect(!user.groups.contains(inner))
        // Disabled: refused although the signature is remembered.
        _ = try await harness.admin.setUserEnabled(tenant: "contoso", id: alice.objectID, enabled: false)
        #expect(try await harness.review(token) == .refused("user is disabled or deleted"))
        _ = try await harness.admin.setUserEnabled(tenant: "contoso", id: alice.objectID, enabled: true)
        #expect(try await harness.review(token) != .refused("user is disabled or deleted"))
        // Expired: refused although it was cached.
        harness.base.clock.advance(by: 3 * 3600)
        #expect(try await harness.review(token) == .refused("token is expired"))
    }

    @Test func aServicePrincipalDisabledAfterItsFirstReviewIsRefused() async throws {
        let harness = try await ClusterHarness.make()
        let pipeline = harness.users.directory.pipeline
        let token = try await harness.test.requestToken(tenant: "contoso", TestIssuer.secretParameters(pipeline)).accessToken
        guard case .authenticated = try await harness.review(token) else {
            Issue.record("refused")
            return
        }
        _ = try await harness.admin.setServicePrincipalEnabled(tenant: "contoso", id: pipeline.servicePrincipal.objectID, enabled: false)
        #expect(try await harness.review(token) == .refused("service principal is disabled or deleted"))
    }
}
