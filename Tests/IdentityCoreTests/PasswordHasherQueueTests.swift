import Cryptography
import Foundation
import IdentityCore
import OAuthProtocol
import Testing

/// Issue 13 item 5: unauthenticated requests cannot queue unbounded scrypt work; a full queue
/// is refused at once, and the sign-in answers Entra's throttling error (429).
@Suite("Password hashing queue")
struct PasswordHasherQueueTests {
    @Test func aFullQueueRefusesInsteadOfWaiting() async throws {
        let hasher = PasswordHasher(parameters: .init(logN: 14), concurrency: 1, maximumQueued: 1)
        let stored = try await hasher.hash("correct horse")
        let outcomes = await withTaskGroup(of: Bool?.self) { group in
            for _ in 0..<12 {
                group.addTask { try? await hasher.verify("wrong", stored: stored) }
            }
            var outcomes: [Bool?] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.contains { $0 == nil }, "some checks must be refused")
        #expect(outcomes.contains { $0 == false }, "some checks must run")
        #expect(try await hasher.verify("correct horse", stored: stored))
    }

    @Test func theThrottlingErrorIsEntras() {
        let error = OAuthError.tooManyIncomingRequests(retryAfter: 5)
        #expect(error.httpStatus == 429)
        #expect(error.retryAfter == 5)
        #expect(error.code == 90055)
    }
}
