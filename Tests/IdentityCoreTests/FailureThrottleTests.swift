import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Client-authentication throttling")
struct FailureThrottleTests {
    @Test func twentyBadSecretsFromOneAddressThrottleThatAddressForAMinute() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let attacker = "203.0.113.66"
        let good = TestIssuer.secretParameters(fixture.pipeline)
        let bad = TestIssuer.secretParameters(fixture.pipeline, secret: "guess")

        for attempt in 1...20 {
            let error = await #expect(throws: OAuthError.self) {
                try await test.requestToken(tenant: "contoso", bad, from: attacker)
            }
            #expect(error?.code == 7000215, "attempt \(attempt)")
            test.clock.advance(by: 1)
        }
        // The 21st request is refused before the secret is even checked, right or wrong.
        let throttled = await #expect(throws: OAuthError.self) {
            try await test.requestToken(tenant: "contoso", good, from: attacker)
        }
        #expect(throttled?.httpStatus == 429)
        #expect(throttled?.retryAfter == 40)
        #expect(throttled?.error == "temporarily_unavailable")

        // The pipeline itself, calling from elsewhere, is not locked out.
        _ = try await test.requestToken(tenant: "contoso", good, from: "198.51.100.7")
        // Nor is another client calling from the attacker's address.
        let neighbour = try await test.administration.createServicePrincipalForRBAC(tenant: "contoso", name: "neighbour",
                                                                                    credential: .secret)
        _ = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(neighbour), from: attacker)

        test.clock.advance(by: 39)
        let stillThrottled = await #expect(throws: OAuthError.self) {
            try await test.requestToken(tenant: "contoso", good, from: attacker)
        }
        #expect(stillThrottled?.retryAfter == 1)
        test.clock.advance(by: 1)
        _ = try await test.requestToken(tenant: "contoso", good, from: attacker)
    }

    @Test func nineteenFailuresDoNotThrottle() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        for _ in 1...19 {
            _ = await #expect(throws: OAuthError.self) {
                try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline, secret: "x"))
            }
        }
        _ = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
    }

    @Test func throttlingIsPerClient() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let other = try await test.administration.createServicePrincipalForRBAC(tenant: "contoso", name: "other",
                                                                                credential: .secret)
        for _ in 1...20 {
            _ = await #expect(throws: OAuthError.self) {
                try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline, secret: "x"))
            }
        }
        let throttled = await #expect(throws: OAuthError.self) {
            try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
        }
        #expect(throttled?.httpStatus == 429)
        #expect(throttled?.retryAfter == 60)
        _ = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(other))
        test.clock.advance(by: 61)
        _ = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
    }

    @Test func theThrottleCountsInAFixedWindowAndForgets() async {
        let clock = ManualClock()
        let throttle = FailureThrottle(limit: 3, window: 60, clock: clock)
        #expect(throttle.retryAfter("k") == nil)
        for _ in 0..<3 { throttle.recordFailure("k") }
        #expect(throttle.retryAfter("k") == 60)
        #expect(throttle.retryAfter("other") == nil)
        clock.advance(by: 59.5)
        #expect(throttle.retryAfter("k") == 1)
        clock.advance(by: 0.5)
        #expect(throttle.retryAfter("k") == nil)
        throttle.recordFailure("k")
        #expect(throttle.retryAfter("k") == nil)
    }

    /// Issue 13 item 5: 100,000 random client ids used to clear the whole table, releasing the
    /// client under attack; now the oldest untrottled keys go first and never all of them.
    @Test func aFloodOfNewKeysEvictsOldestAndKeepsThrottledOnes() {
        let clock = ManualClock()
        let throttle = FailureThrottle(limit: 3, window: 60, clock: clock, maximumKeys: 100)
        for _ in 0..<3 { throttle.recordFailure("victim") }
        #expect(throttle.retryAfter("victim") == 60)
        throttle.recordFailure("recent")
        clock.advance(by: 1)
        for index in 0..<1_000 { throttle.recordFailure("random-\(index)") }
        #expect(throttle.retryAfter("victim") != nil)
        for _ in 0..<2 { throttle.recordFailure("random-999") }
        #expect(throttle.retryAfter("random-999") != nil)
    }
}
