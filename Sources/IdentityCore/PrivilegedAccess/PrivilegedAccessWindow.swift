import Foundation

/// A request's `scheduleInfo`: when the access starts and how it expires.
public struct PrivilegedAccessWindow: Sendable, Hashable, Codable {
    /// Graph's `expirationPattern.type`.
    public enum Expiration: String, Sendable, Codable {
        case notSpecified, noExpiration, afterDateTime, afterDuration
    }

    public var startsAt: Date
    public var expiration: Expiration
    /// Seconds, for `afterDuration`.
    public var duration: TimeInterval?
    /// The end: given (`afterDateTime`) or start plus duration; nil when there is none.
    public var endsAt: Date?

    public init(startsAt: Date, expiration: Expiration, duration: TimeInterval? = nil, endsAt: Date? = nil) {
        self.startsAt = startsAt
        self.expiration = expiration
        self.duration = duration
        self.endsAt = endsAt
    }

    /// How long the window lasts, nil when it has no end.
    public var length: TimeInterval? {
        endsAt.map { $0.timeIntervalSince(startsAt) }
    }
}
