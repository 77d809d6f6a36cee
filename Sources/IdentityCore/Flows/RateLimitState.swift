import Foundation

/// A counter shared by every issuer instance: failed user-code entries, failed passwords,
/// lockouts. Kept by ``RateLimitStore`` until `expiresAt`.
public struct RateLimitState: Sendable, Hashable, Codable {
    /// Events counted in the current window.
    public var count: Int
    public var windowStart: Date
    /// While set and in the future, the key is locked out.
    public var lockedUntil: Date?
    /// How many lockouts this key has had (lockouts grow with it).
    public var lockouts: Int
    /// When the store may forget this state.
    public var expiresAt: Date

    public init(count: Int, windowStart: Date, lockedUntil: Date? = nil, lockouts: Int = 0, expiresAt: Date) {
        self.count = count
        self.windowStart = windowStart
        self.lockedUntil = lockedUntil
        self.lockouts = lockouts
        self.expiresAt = expiresAt
    }
}
