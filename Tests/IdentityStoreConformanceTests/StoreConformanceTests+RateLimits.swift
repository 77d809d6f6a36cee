import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func rateLimitStatesLiveUntilTheyExpire(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let now = Fixtures.date(0)
            #expect(try await store.rateLimit(key: "password:u-1", now: now) == nil)
            let created = try await store.updateRateLimit(key: "password:u-1", now: now) { state in
                #expect(state == nil)
                state = RateLimitState(count: 1, windowStart: now, expiresAt: Fixtures.date(60))
            }
            let expected = RateLimitState(count: 1, windowStart: now, expiresAt: Fixtures.date(60))
            #expect(created == expected)
            #expect(try await store.rateLimit(key: "password:u-1", now: Fixtures.date(59.999)) == expected)
            #expect(try await store.rateLimit(key: "password:U-1", now: now) == nil)

            let locked = try await store.updateRateLimit(key: "password:u-1", now: Fixtures.date(10)) { state in
                state?.count += 4
                state?.lockedUntil = Fixtures.date(300)
                state?.lockouts += 1
                state?.expiresAt = Fixtures.date(900)
            }
            let lockedState = RateLimitState(count: 5, windowStart: now, lockedUntil: Fixtures.date(300), lockouts: 1,
                                             expiresAt: Fixtures.date(900))
            #expect(locked == lockedState)
            #expect(try await store.rateLimit(key: "password:u-1", now: Fixtures.date(10)) == lockedState)

            // Expired at `now` (expiresAt <= now): reads as absent, and an update starts from nil.
            #expect(try await store.rateLimit(key: "password:u-1", now: Fixtures.date(900)) == nil)
            let restarted = try await store.updateRateLimit(key: "password:u-1", now: Fixtures.date(900)) { state in
                #expect(state == nil)
                state = RateLimitState(count: 1, windowStart: Fixtures.date(900), expiresAt: Fixtures.date(960))
            }
            #expect(restarted?.count == 1)
            #expect(try await store.rateLimit(key: "password:u-1", now: Fixtures.date(900)) == restarted)

            // Setting nil deletes; a throwing closure stores nothing.
            try await store.updateRateLimit(key: "user-code:192.0.2.1", now: now) { state in
                state = RateLimitState(count: 3, windowStart: now, expiresAt: Fixtures.date(60))
            }
            await #expect(throws: Refused()) {
                try await store.updateRateLimit(key: "user-code:192.0.2.1", now: now) { state in
                    state = nil
                    throw Refused()
                }
            }
            #expect(try await store.rateLimit(key: "user-code:192.0.2.1", now: now)?.count == 3)
            #expect(try await store.updateRateLimit(key: "user-code:192.0.2.1", now: now) { $0 = nil } == nil)
            #expect(try await store.rateLimit(key: "user-code:192.0.2.1", now: now) == nil)
            #expect(try await store.updateRateLimit(key: "never-set", now: now) { _ in } == nil)
            #expect(try await store.rateLimit(key: "never-set", now: now) == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func concurrentRateLimitIncrementsAllCount(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let now = Fixtures.date(0)
            let outcomes = await concurrently(50) { _ in
                try await store.updateRateLimit(key: "signin:192.0.2.1", now: now) { state in
                    if state == nil {
                        state = RateLimitState(count: 0, windowStart: now, expiresAt: Fixtures.date(60))
                    }
                    state?.count += 1
                }
            }
            #expect(outcomes.allSatisfy { $0.failure == nil })
            let stored = try await store.rateLimit(key: "signin:192.0.2.1", now: now)
            #expect(stored?.count == 50)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deletingExpiredRateLimitsIsBounded(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let now = Fixtures.date(0)
            for index in 0..<15 {
                try await store.updateRateLimit(key: "expired-\(index)", now: now) { state in
                    state = RateLimitState(count: 1, windowStart: now, expiresAt: Fixtures.date(Double(index + 1)))
                }
            }
            try await store.updateRateLimit(key: "live", now: now) { state in
                state = RateLimitState(count: 1, windowStart: now, expiresAt: Fixtures.date(1_000))
            }
            let later = Fixtures.date(500)
            #expect(try await store.deleteExpiredRateLimits(now: later, limit: 0) == 0)
            #expect(try await store.deleteExpiredRateLimits(now: later, limit: 10) == 10)
            #expect(try await store.deleteExpiredRateLimits(now: later, limit: 10) == 5)
            #expect(try await store.deleteExpiredRateLimits(now: later, limit: 10) == 0)
            #expect(try await store.rateLimit(key: "live", now: later)?.count == 1)
            #expect(try await store.deleteExpiredRateLimits(now: Fixtures.date(1_000), limit: 10) == 1)
        }
    }
}
