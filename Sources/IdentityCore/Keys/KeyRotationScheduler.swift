import Foundation
import Logging

/// Rotates signing keys on the key ring's ``KeyRotationPolicy``: checks every `interval` whether
/// the next key is due for pre-publication and publishes it.
///
/// Every instance runs one; the store's compare-and-swap makes exactly one of them publish each
/// key, and the others see it at their next reload. The check is one read of the signing keys,
/// so a minute between checks costs nothing and keeps a rotation within a minute of its time.
public struct KeyRotationScheduler: Sendable {
    private let keyRing: KeyRing
    private let logger: Logger

    public init(keyRing: KeyRing, logger: Logger = Logger(label: "kubeid.keys")) {
        self.keyRing = keyRing
        self.logger = logger
    }

    /// Checks now and then every `interval` until the task is cancelled. A failed check (store
    /// unreachable) is logged and retried at the next one; it never ends the loop.
    ///
    /// - Parameter sleep: waits between checks; tests pass one that advances a manual clock.
    public func run(every interval: Duration,
                    sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) async {
        await RepeatingPass.run(every: interval, sleep: sleep, logger: logger,
                                failure: "signing key rotation check failed; retrying at the next interval") {
            if let published = try await keyRing.rotateIfDue() {
                logger.notice("next signing key published", metadata: [
                    "kid": "\(published.keyID)", "signsFrom": "\(published.activatedAt.map { "\($0)" } ?? "now")"])
            }
        }
    }
}
