import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func deviceAuthorizationsCreateAndLookUp(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let pending = Fixtures.deviceAuthorization("a", userCode: "BCDFGHJK")
            var approved = Fixtures.deviceAuthorization("b", userCode: "LMNPQRST")
            approved.state = .approved
            approved.userObjectID = "u-1"
            approved.authenticatedAt = Fixtures.date(30)
            approved.authenticationMethods = ["pwd", "mfa"]
            approved.lastPolledAt = Fixtures.date(25)
            approved.correlationID = nil
            for authorization in [pending, approved] { try await store.createDeviceAuthorization(authorization) }

            #expect(try await store.deviceAuthorization(deviceCodeHash: Fixtures.hash("device-a")) == pending)
            #expect(try await store.deviceAuthorization(deviceCodeHash: Fixtures.hash("device-b")) == approved)
            #expect(try await store.deviceAuthorization(deviceCodeHash: Fixtures.hash("device-c")) == nil)
            #expect(try await store.deviceAuthorization(userCode: "BCDFGHJK") == pending)
            #expect(try await store.deviceAuthorization(userCode: "LMNPQRST") == approved)
            #expect(try await store.deviceAuthorization(userCode: "VWXZBCDF") == nil)

            await #expect(throws: StoreError.alreadyExists) {
                try await store.createDeviceAuthorization(Fixtures.deviceAuthorization("a", userCode: "VWXZBCDF"))
            }
            #expect(try await store.deviceAuthorization(userCode: "VWXZBCDF") == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func userCodesCollideOnlyWithUnexpiredAuthorizations(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let first = Fixtures.deviceAuthorization("first", userCode: "BCDFGHJK", createdAt: Fixtures.date(0),
                                                     lifetime: 900)
            try await store.createDeviceAuthorization(first)
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createDeviceAuthorization(
                    Fixtures.deviceAuthorization("early", userCode: "BCDFGHJK", createdAt: Fixtures.date(899.999)))
            }
            // Another code at the same time is fine.
            try await store.createDeviceAuthorization(
                Fixtures.deviceAuthorization("other", userCode: "LMNPQRST", createdAt: Fixtures.date(100)))

            // From the first one's expiry on, its code may be drawn again; lookups find the newest.
            let second = Fixtures.deviceAuthorization("second", userCode: "BCDFGHJK", createdAt: Fixtures.date(900))
            try await store.createDeviceAuthorization(second)
            #expect(try await store.deviceAuthorization(userCode: "BCDFGHJK") == second)
            #expect(try await store.deviceAuthorization(deviceCodeHash: first.deviceCodeHash) == first)
            #expect(try await store.deviceAuthorization(deviceCodeHash: Fixtures.hash("device-early")) == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func updateDeviceAuthorizationAppliesOrAborts(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let pending = Fixtures.deviceAuthorization("a", userCode: "BCDFGHJK")
            try await store.createDeviceAuthorization(pending)

            let approved = try await store.updateDeviceAuthorization(deviceCodeHash: pending.deviceCodeHash) { flow in
                flow.state = .approved
                flow.userObjectID = "u-1"
                flow.authenticatedAt = Fixtures.date(40)
                flow.authenticationMethods = ["pwd"]
                flow.deviceCodeHash = Fixtures.hash("device-other")  // ignored: the keys cannot change
                flow.userCode = "LMNPQRST"
            }
            var expected = pending
            expected.state = .approved
            expected.userObjectID = "u-1"
            expected.authenticatedAt = Fixtures.date(40)
            expected.authenticationMethods = ["pwd"]
            #expect(approved == expected)
            #expect(try await store.deviceAuthorization(deviceCodeHash: pending.deviceCodeHash) == expected)
            #expect(try await store.deviceAuthorization(userCode: "BCDFGHJK") == expected)
            #expect(try await store.deviceAuthorization(deviceCodeHash: Fixtures.hash("device-other")) == nil)

            await #expect(throws: Refused()) {
                try await store.updateDeviceAuthorization(deviceCodeHash: pending.deviceCodeHash) { flow in
                    flow.state = .redeemed
                    throw Refused()
                }
            }
            #expect(try await store.deviceAuthorization(deviceCodeHash: pending.deviceCodeHash) == expected)
            await #expect(throws: StoreError.notFound) {
                try await store.updateDeviceAuthorization(deviceCodeHash: Fixtures.hash("device-missing")) {
                    $0.interval += 5
                }
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func concurrentDeviceAuthorizationUpdatesSerialise(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let flow = Fixtures.deviceAuthorization("a")
            try await store.createDeviceAuthorization(flow)
            let outcomes = await concurrently(50) { _ in
                try await store.updateDeviceAuthorization(deviceCodeHash: flow.deviceCodeHash) { $0.interval += 1 }
            }
            #expect(outcomes.allSatisfy { $0.failure == nil })
            #expect(try await store.deviceAuthorization(deviceCodeHash: flow.deviceCodeHash)?.interval
                    == flow.interval + 50)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deletingExpiredDeviceAuthorizationsIsBounded(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            for index in 0..<25 {
                try await store.createDeviceAuthorization(
                    Fixtures.deviceAuthorization("expired-\(index)", userCode: "E\(index)", lifetime: Double(index)))
            }
            for index in 0..<3 {
                try await store.createDeviceAuthorization(
                    Fixtures.deviceAuthorization("live-\(index)", userCode: "L\(index)", lifetime: 1_000))
            }
            let now = Fixtures.date(500)
            #expect(try await store.deleteExpiredDeviceAuthorizations(now: now, limit: 0) == 0)
            #expect(try await store.deleteExpiredDeviceAuthorizations(now: now, limit: 10) == 10)
            #expect(try await store.deleteExpiredDeviceAuthorizations(now: now, limit: 10) == 10)
            #expect(try await store.deleteExpiredDeviceAuthorizations(now: now, limit: 10) == 5)
            #expect(try await store.deleteExpiredDeviceAuthorizations(now: now, limit: 10) == 0)
            #expect(try await store.deviceAuthorization(deviceCodeHash: Fixtures.hash("device-expired-24")) == nil)
            for index in 0..<3 {
                #expect(try await store.deviceAuthorization(deviceCodeHash: Fixtures.hash("device-live-\(index)")) != nil)
            }
            // Expiring exactly at `now` counts as expired.
            #expect(try await store.deleteExpiredDeviceAuthorizations(now: Fixtures.date(1_000), limit: 10) == 3)
        }
    }
}
