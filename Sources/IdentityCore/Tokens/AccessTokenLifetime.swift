import Foundation

/// How long issued access tokens live. Entra picks a random lifetime between 60 and 90 minutes
/// so that a fleet's tokens don't all expire (and refresh) at the same instant; kubeid does the
/// same by default.
public struct AccessTokenLifetime: Sendable, Hashable {
    public let minimum: TimeInterval
    public let maximum: TimeInterval

    public init(minimum: TimeInterval, maximum: TimeInterval) {
        precondition(minimum > 0 && maximum >= minimum, "token lifetime bounds must be positive and ordered")
        self.minimum = minimum
        self.maximum = maximum
    }

    /// A fixed lifetime.
    public static func fixed(_ seconds: TimeInterval) -> AccessTokenLifetime { .init(minimum: seconds, maximum: seconds) }

    /// Entra's default: 60 to 90 minutes.
    public static let entraDefault = AccessTokenLifetime(minimum: 3600, maximum: 5400)

    /// A lifetime in whole seconds, drawn uniformly from the bounds.
    public func draw() -> Int {
        Int(minimum == maximum ? minimum : Double.random(in: minimum...maximum))
    }
}
