import Foundation
import IdentityCore
import IdentityTesting
import PropertyBased
import Testing

/// Device-code polling over random schedules of waits, polls, approvals and declines: whatever a
/// client does, a code answers pending or slow-down (with an interval between 5 and 60 s) until it
/// is decided or expires; a client that waits the interval it was last given is never told to
/// slow down; an approval gives tokens to exactly one poll; a decline and an expiry are final.
@Suite("Device-code polling (property-based)")
struct DeviceCodePollingPropertyTests {
    enum Decision { case none, approved, declined }

    @Test func pollingFollowsTheRules() async throws {
        // Each step: a wait (tenths of a second, some beyond the code's 15 minutes) and an action.
        await propertyCheck(count: 40, input: Gen.int(in: 0...3_999).array(of: 1...30)) { steps in
            let harness = try await SignInHarness.make()
            let flow = harness.test.issuer.deviceFlow
            let started = try await harness.startDeviceFlow()
            var elapsed = 0.0, sinceLastPoll: Double? = nil, interval = Double(started.interval)
            var decision = Decision.none, redeemed = false
            for (number, step) in steps.enumerated() {
                let wait = step % 1000 < 950 ? Double(step % 1000) / 10 : 300
                harness.clock.advance(by: wait)
                elapsed += wait
                sinceLastPoll = sinceLastPoll.map { $0 + wait }
                let expired = elapsed >= Double(started.expiresIn)
                switch step / 1000 {
                case 0 where decision == .none:
                    let approved = try await flow.approve(userCode: started.userCode, user: harness.users.alice,
                                                          methods: ["pwd"], authenticatedAt: harness.clock.now())
                    #expect(approved == !expired, "step \(number)")
                    if approved { decision = .approved }
                case 1 where decision == .none:
                    let declined = try await flow.decline(userCode: started.userCode, userObjectID: nil)
                    #expect(declined == !expired, "step \(number)")
                    if declined { decision = .declined }
                default:
                    let outcome = try await flow.poll(deviceCode: started.deviceCode, clientID: AKS.clientAppID)
                    let context = "step \(number): \(elapsed) s in, \(sinceLastPoll.map { "\($0)" } ?? "first") since the last poll"
                    switch (decision, redeemed) {
                    case (.approved, true): #expect(outcome == .alreadyRedeemed, "\(context)")
                    case (.approved, false) where !expired:
                        guard case .approved = outcome else {
                            Issue.record("\(context): an approved code answered \(outcome)")
                            return
                        }
                        redeemed = true
                    case (.declined, _): #expect(outcome == .declined, "\(context)")
                    case (_, _) where expired: #expect(outcome == .expired, "\(context)")
                    default:
                        if case .slowDown(let raised) = outcome {
                            #expect((6...60).contains(raised), "\(context)")
                            #expect(sinceLastPoll.map { $0 < interval } ?? false, "\(context): slowed down after waiting \(interval) s")
                            interval = Double(raised)
                        } else {
                            #expect(outcome == .pending, "\(context)")
                        }
                        sinceLastPoll = 0
                    }
                }
            }
        }
    }
}
