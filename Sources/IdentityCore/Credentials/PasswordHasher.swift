import Cryptography
import Foundation

/// Hashes and checks user passwords (scrypt, see ``PasswordHash``), at most `concurrency` at a
/// time: each evaluation takes 128 MiB and a good fraction of a second at OWASP strength, so an
/// unbounded burst of sign-ins could exhaust memory. Callers beyond the limit wait their turn.
public actor PasswordHasher {
    public let parameters: PasswordHash.Parameters
    private let concurrency: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// A hash of a random password, verified when the user does not exist, so the time a failed
    /// sign-in takes does not tell whether the account exists.
    private var decoy: String?

    /// How many checks may wait for a slot; beyond that a check is refused at once
    /// (``PasswordHasherBusy``) rather than queueing unbounded scrypt work for anyone who can
    /// post a password.
    private let maximumQueued: Int
    private let metrics: IssuerMetrics

    public init(parameters: PasswordHash.Parameters = .owasp, concurrency: Int = 2, maximumQueued: Int = 64,
                metrics: IssuerMetrics = .disabled) {
        self.metrics = metrics
        self.parameters = parameters
        self.concurrency = max(1, concurrency)
        self.maximumQueued = max(0, maximumQueued)
    }

    /// The stored form of a new password.
    public func hash(_ password: String) async throws -> String {
        try await acquire()
        defer { release() }
        let parameters = parameters
        return try await Self.offloadThrowing { try PasswordHash.make(password, parameters: parameters) }
    }

    /// True when `password` matches `stored`; with `stored == nil` (unknown user, no password)
    /// it spends the same effort on a decoy and returns false.
    /// Throws ``PasswordHasherBusy`` when `maximumQueued` checks already wait.
    public func verify(_ password: String, stored: String?) async throws -> Bool {
        try await acquire()
        defer { release() }
        if let stored {
            return await Self.offload { PasswordHash.verify(password, stored: stored) }
        }
        if decoy == nil {
            let parameters = parameters
            decoy = try? await Self.offloadThrowing { try PasswordHash.make(Base64URL.encode(SecureRandom.bytes(16)), parameters: parameters) }
        }
        let decoy = decoy ?? ""
        _ = await Self.offload { PasswordHash.verify(password, stored: decoy) }
        return false
    }

    private func acquire() async throws {
        if running < concurrency {
            running += 1
            return
        }
        guard waiters.count < maximumQueued else { throw PasswordHasherBusy() }
        await withCheckedContinuation {
            waiters.append($0)
            metrics.passwordHashQueue(depth: waiters.count)
        }
    }

    private func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
            metrics.passwordHashQueue(depth: waiters.count)
        }
    }

    /// Runs CPU-heavy work off the actor's executor so other sign-ins keep queueing.
    private static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await Task.detached(priority: .userInitiated) { work() }.value
    }

    private static func offloadThrowing<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await Task.detached(priority: .userInitiated) { try work() }.value
    }
}

/// The password-hashing queue is full: answer Entra's throttling error (HTTP 429) and let the
/// client retry, instead of queueing more work.
public struct PasswordHasherBusy: Error, Sendable {}
