import Foundation

/// When signing keys rotate on their own.
///
/// A new key is published in the JWKS `prepublication` before it signs anything, so verifiers
/// that cache the discovery document and the JWKS (a day is common; Microsoft's guidance on
/// signing key rollover asks clients to refresh at least that often) already hold it when the
/// first token signed with it arrives. The key that signs is replaced once it has signed for
/// `interval`.
public struct KeyRotationPolicy: Sendable, Equatable {
    /// How long one key signs before its successor takes over.
    public var interval: TimeInterval
    /// How long a new key is in the JWKS before it signs; less than `interval`.
    public var prepublication: TimeInterval

    /// Six weeks per key, each successor published two days ahead: the order of Entra's own
    /// rollover cadence, and twice the 24 h cache of the slowest common verifier.
    public static let standard = KeyRotationPolicy(interval: 42 * 86_400, prepublication: 2 * 86_400)

    /// - Precondition: `interval` > `prepublication` >= 0 (the composition root validates flags).
    public init(interval: TimeInterval, prepublication: TimeInterval) {
        precondition(prepublication >= 0 && interval > prepublication, "key rotation needs interval > prepublication >= 0")
        self.interval = interval
        self.prepublication = prepublication
    }

    /// When the successor of a key that started signing at `activatedAt` is to be published.
    func publicationDue(afterActivationAt activatedAt: Date) -> Date {
        activatedAt.addingTimeInterval(interval - prepublication)
    }
}
