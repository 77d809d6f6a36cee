import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import PropertyBased
import Testing

/// The refresh-token family as a state machine, checked against a model of it over random
/// sequences of "wait a few seconds, present one of the family's tokens": only the newest token
/// rotates; a spent token within the 5 s grace window answers the family's newest token (at
/// most 8 rotations ahead); a spent token after it revokes the whole family, and nothing of a
/// revoked family works again.
@Suite("Refresh-token families (property-based)")
struct RefreshTokenFamilyPropertyTests {
    /// What the service must answer, kept by hand.
    struct Model {
        var tokens: [String]
        var rotatedAt: [Double?]
        var revoked = false
        var now = 0.0

        enum Expected: Equatable { case token(String), revoked, newToken }

        mutating func present(_ index: Int) -> Expected {
            if revoked { return .revoked }
            guard let rotated = rotatedAt[index] else { return .newToken }  // the newest: rotates
            guard now - rotated <= 5 else {
                revoked = true
                return .revoked
            }
            // Grace: the live tip, found by following successors at most 8 steps.
            return tokens.count - 1 - index <= 8 ? .token(tokens[tokens.count - 1]) : .revoked
        }

        mutating func rotated(into token: String) {
            rotatedAt[tokens.count - 1] = now
            tokens.append(token)
            rotatedAt.append(nil)
        }
    }

    @Test func aFamilyBehavesLikeItsModel() async throws {
        // Each step: seconds to wait (0-7) and which of the family's tokens to present.
        await propertyCheck(count: 30, input: Gen.int(in: 0...7_999).array(of: 1...24)) { steps in
            let harness = try await SignInHarness.make()
            let first = try #require(try await harness.signInWithDeviceCode().refreshToken)
            var model = Model(tokens: [first], rotatedAt: [nil])
            for (number, step) in steps.enumerated() {
                let wait = Double(step / 1000), index = (step % 1000) % model.tokens.count
                harness.clock.advance(by: wait)
                model.now += wait
                let expected = model.present(index)
                let answer: Model.Expected
                do {
                    let response = try await harness.refresh(model.tokens[index])
                    #expect(!response.accessToken.isEmpty)
                    let token = try #require(response.refreshToken)
                    answer = expected == .newToken && !model.tokens.contains(token) ? .newToken : .token(token)
                    if answer == .newToken { model.rotated(into: token) }
                } catch let error as OAuthError {
                    #expect(error.code == 50173, "step \(number): \(error)")
                    answer = .revoked
                }
                #expect(answer == expected, "step \(number): waited \(wait) s, presented token \(index) of \(model.tokens.count)")
                if answer != expected { return }
            }
        }
    }
}
