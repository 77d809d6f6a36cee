import Foundation

/// Where the domain reads the time. Every type whose behaviour depends on time takes one,
/// so tests pin time instead of sleeping.
public protocol IdentityClock: Sendable {
    /// The current instant (UTC; `Date` has no zone).
    func now() -> Date
}

/// The real wall clock.
public struct SystemClock: IdentityClock {
    public init() {}
    public func now() -> Date { Date() }
}
