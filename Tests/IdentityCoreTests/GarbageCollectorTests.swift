import Foundation
import IdentityCore
import IdentityTesting
import Synchronization
import Testing

/// The garbage collector deletes what expired at the clock's `now`, in bounded batches, and keeps
/// going on its interval whatever a pass met.
@Suite("Garbage collection")
struct GarbageCollectorTests {
    private static func refreshToken(_ id: String, expiresAt: Date) -> RefreshTokenRecord {
        RefreshTokenRecord(id: id, tokenHash: Array("hash-\(id)".utf8), familyID: "family", tenantID: "t",
                           clientID: "client", userObjectID: "user", scope: "openid", authenticatedAt: expiresAt,
                           authenticationMethods: ["pwd"], createdAt: expiresAt.addingTimeInterval(-60),
                           lastUsedAt: expiresAt.addingTimeInterval(-60), expiresAt: expiresAt)
    }

    private static func deviceAuthorization(_ label: String, expiresAt: Date) -> DeviceAuthorization {
        DeviceAuthorization(deviceCodeHash: Array("device-\(label)".utf8), userCode: "CODE\(label)", tenantID: "t",
                            clientID: "client", scope: "openid", resource: "api://kubernetes", endpointVersion: "v2",
                            createdAt: expiresAt.addingTimeInterval(-900), expiresAt: expiresAt, interval: 5,
                            requestAddress: "192.0.2.1")
    }

    private static func authorizationCode(_ label: String, expiresAt: Date) -> AuthorizationCodeRecord {
        AuthorizationCodeRecord(codeHash: Array("code-\(label)".utf8), tenantID: "t", clientID: "client",
                                redirectURI: "http://localhost", scope: "openid", resource: "api://kubernetes",
                                endpointVersion: "v2", codeChallenge: nil, codeChallengeMethod: nil, nonce: nil,
                                userObjectID: "user", authenticatedAt: expiresAt, authenticationMethods: ["pwd"],
                                createdAt: expiresAt.addingTimeInterval(-300), expiresAt: expiresAt,
                                clientAddress: "192.0.2.1")
    }

    /// Seeds `expired` records of every kind that expire at or before `now` and `live` ones after.
    private static func seed(_ store: any IdentityStore, now: Date, expired: Int, live: Int) async throws {
        for index in 0..<(expired + live) {
            let expiresAt = index < expired ? now.addingTimeInterval(-Double(index)) : now.addingTimeInterval(3600)
            try await store.createRefreshToken(refreshToken("rt-\(index)", expiresAt: expiresAt))
            try await store.createDeviceAuthorization(deviceAuthorization("\(index)", expiresAt: expiresAt))
            try await store.createAuthorizationCode(authorizationCode("\(index)", expiresAt: expiresAt))
            _ = try await store.recordOnce(namespace: "jti", id: "\(index)", expiresAt: expiresAt,
                                           now: now.addingTimeInterval(-7200))
            try await store.updateRateLimit(key: "k-\(index)", now: now.addingTimeInterval(-7200)) {
                $0 = RateLimitState(count: 1, windowStart: now.addingTimeInterval(-7200), expiresAt: expiresAt)
            }
        }
    }

    @Test func deletesWhatExpiredAtNowInBatches() async throws {
        let test = try await TestIssuer.make()
        let now = test.clock.now()
        try await Self.seed(test.store, now: now, expired: 23, live: 2)

        let collector = GarbageCollector(store: test.store, clock: test.clock, batchSize: 10)
        let report = try await collector.collect()
        #expect(report.refreshTokens == 23)
        #expect(report.deviceAuthorizations == 23)
        #expect(report.authorizationCodes == 23)
        #expect(report.replayEntries == 23)
        #expect(report.rateLimits == 23)
        #expect(report.auditEvents == 0)

        for index in 23..<25 {
            #expect(try await test.store.refreshToken(id: "rt-\(index)") != nil)
            #expect(try await test.store.authorizationCode(codeHash: Array("code-\(index)".utf8)) != nil)
            #expect(try await test.store.rateLimit(key: "k-\(index)", now: now) != nil)
        }
        #expect(try await test.store.refreshToken(id: "rt-0") == nil)
        #expect(try await collector.collect() == GarbageCollector.Report())
    }

    @Test func batchesNeverExceedTenThousand() async throws {
        let test = try await TestIssuer.make()
        #expect(GarbageCollector(store: test.store, batchSize: 1_000_000).batchSize == 10_000)
        #expect(GarbageCollector(store: test.store).batchSize == GarbageCollector.maximumBatchSize)
    }

    @Test func removedSigningKeysAndOldAuditEventsGo() async throws {
        let test = try await TestIssuer.make()
        let firstKey = try await test.issuer.keyRing.activeKey().record.keyID
        try await test.issuer.keyRing.rotate()
        try await test.store.appendAuditEvent(AuditEvent(id: "old", time: test.clock.now().addingTimeInterval(-40 * 86_400),
                                                         tenantID: nil, kind: "token.issued", outcome: "success"))
        try await test.store.appendAuditEvent(AuditEvent(id: "new", time: test.clock.now(), tenantID: nil,
                                                         kind: "token.issued", outcome: "success"))
        let collector = GarbageCollector(store: test.store, clock: test.clock, auditRetention: 30 * 86_400)
        #expect(try await collector.collect().signingKeys == 0)   // the retired key is still published
        #expect(try await collector.collect().auditEvents == 0)    // "old" went in the first pass
        #expect(try await test.store.auditEvents(tenantID: nil, since: .distantPast, limit: 10).map(\.id) == ["new"])

        test.clock.advance(by: test.issuer.configuration.retiredKeyRetention + 1)
        #expect(try await collector.collect().signingKeys == 1)
        #expect(try await test.store.signingKeys().contains { $0.keyID == firstKey } == false)
    }

    /// The loop runs a pass per interval on the injected clock: what expires between passes goes
    /// in the next one.
    @Test func runsAPassEveryInterval() async throws {
        let test = try await TestIssuer.make()
        let start = test.clock.now()
        try await test.store.createRefreshToken(Self.refreshToken("soon", expiresAt: start.addingTimeInterval(30)))
        try await test.store.createRefreshToken(Self.refreshToken("later", expiresAt: start.addingTimeInterval(90)))

        let passes = Mutex(0)
        let clock = test.clock
        let store = test.store
        let remaining = Mutex<[Set<String>]>([])
        await GarbageCollector(store: test.store, clock: test.clock).run(every: .seconds(60)) { interval in
            var present: Set<String> = []
            for id in ["soon", "later"] where try await store.refreshToken(id: id) != nil { present.insert(id) }
            remaining.withLock { $0.append(present) }
            let count = passes.withLock { $0 += 1; return $0 }
            guard count < 3 else { throw CancellationError() }
            clock.advance(by: TimeInterval(interval.components.seconds))
        }
        #expect(remaining.withLock { $0 } == [["soon", "later"], ["later"], []])
    }
}
