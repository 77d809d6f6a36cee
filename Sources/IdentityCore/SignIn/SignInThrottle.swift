import Foundation

/// Counters against guessing, kept in the shared ``RateLimitStore`` so every issuer instance
/// sees the same ones:
///
/// - Passwords (RFC 6819 §5.1.4.2.3): 10 failures per user, or per source address, within 15
///   minutes lock that user (or address) for 60 s; each further lockout doubles, up to an hour,
///   and lockouts are remembered for a day. The user key is the UPN as typed (lower-cased), so an
///   unknown user locks exactly like a real one and lockouts reveal nothing.
/// - Device user codes (RFC 8628 §5.1, SECURITY.md item 31): 5 wrong entries per browser
///   session, and 5 per source address, within the code lifetime; plus a global cap per minute.
public struct SignInThrottle: Sendable {
    public struct Policy: Sendable {
        public var passwordFailures = 10
        public var passwordWindow: TimeInterval = 15 * 60
        public var firstLockout: TimeInterval = 60
        public var longestLockout: TimeInterval = 3600
        public var lockoutMemory: TimeInterval = 24 * 3600
        public var userCodeFailures = 5
        public var userCodeWindow: TimeInterval = 15 * 60
        public var globalUserCodeFailuresPerMinute = 1000

        public init() {}
    }

    private let store: any RateLimitStore
    private let clock: any IdentityClock
    public let policy: Policy

    public init(store: any RateLimitStore, clock: any IdentityClock, policy: Policy = Policy()) {
        self.store = store
        self.clock = clock
        self.policy = policy
    }

    static func userKey(tenantID: String, userPrincipalName: String) -> String {
        "password/user/\(tenantID)/\(userPrincipalName.lowercased())"
    }
    static func addressKey(_ address: String) -> String { "password/address/\(address)" }

    // MARK: Passwords

    /// When the user or the address is locked, until when; nil when sign-in may be tried.
    public func passwordLockedUntil(tenantID: String, userPrincipalName: String, address: String) async throws -> Date? {
        let now = clock.now()
        var until: Date?
        for key in [Self.userKey(tenantID: tenantID, userPrincipalName: userPrincipalName), Self.addressKey(address)] {
            if let locked = try await store.rateLimit(key: key, now: now)?.lockedUntil, locked > now {
                until = max(until ?? locked, locked)
            }
        }
        return until
    }

    /// Counts a failed password or second factor against the user and the address.
    public func recordPasswordFailure(tenantID: String, userPrincipalName: String, address: String) async throws {
        for key in [Self.userKey(tenantID: tenantID, userPrincipalName: userPrincipalName), Self.addressKey(address)] {
            try await countFailure(key: key, limit: policy.passwordFailures, window: policy.passwordWindow, lockable: true)
        }
    }

    /// A successful sign-in clears the user's failure count (not its lockout history).
    public func recordPasswordSuccess(tenantID: String, userPrincipalName: String) async throws {
        let key = Self.userKey(tenantID: tenantID, userPrincipalName: userPrincipalName)
        try await store.updateRateLimit(key: key, now: clock.now()) { state in
            guard var current = state else { return }
            current.count = 0
            state = current.lockouts == 0 ? nil : current
        }
    }

    // MARK: User codes

    /// True when this browser session or address has used up its wrong guesses, or the whole
    /// issuer is seeing a flood of wrong codes.
    public func userCodeEntryBlocked(sessionID: String, address: String) async throws -> Bool {
        let now = clock.now()
        for key in ["usercode/session/\(sessionID)", "usercode/address/\(address)"] {
            if let state = try await store.rateLimit(key: key, now: now), state.count >= policy.userCodeFailures {
                return true
            }
        }
        if let global = try await store.rateLimit(key: "usercode/global", now: now),
           global.count >= policy.globalUserCodeFailuresPerMinute {
            return true
        }
        return false
    }

    public func recordUserCodeFailure(sessionID: String, address: String) async throws {
        try await countFailure(key: "usercode/session/\(sessionID)", limit: .max, window: policy.userCodeWindow, lockable: false)
        try await countFailure(key: "usercode/address/\(address)", limit: .max, window: policy.userCodeWindow, lockable: false)
        try await countFailure(key: "usercode/global", limit: .max, window: 60, lockable: false)
    }

    // MARK: Counting

    private func countFailure(key: String, limit: Int, window: TimeInterval, lockable: Bool) async throws {
        let now = clock.now()
        let policy = policy
        try await store.updateRateLimit(key: key, now: now) { state in
            var current = state ?? RateLimitState(count: 0, windowStart: now, expiresAt: now.addingTimeInterval(window))
            if now.timeIntervalSince(current.windowStart) >= window {
                current.count = 0
                current.windowStart = now
            }
            current.count += 1
            if lockable, current.count >= limit {
                let lockout = min(policy.firstLockout * pow(2, Double(current.lockouts)), policy.longestLockout)
                current.lockouts += 1
                current.lockedUntil = now.addingTimeInterval(lockout)
                current.count = 0
                current.windowStart = now
            }
            var expiry = current.windowStart.addingTimeInterval(window)
            if let locked = current.lockedUntil { expiry = max(expiry, locked) }
            if current.lockouts > 0 { expiry = max(expiry, now.addingTimeInterval(policy.lockoutMemory)) }
            current.expiresAt = expiry
            state = current
        }
    }
}
