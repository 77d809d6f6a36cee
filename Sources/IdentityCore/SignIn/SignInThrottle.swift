import Foundation

/// Counters against guessing, kept in the shared ``RateLimitStore`` so every issuer instance
/// sees the same ones:
///
/// - Passwords (RFC 6819 §5.1.4.2.3), Entra-style smart lockout
///   (https://learn.microsoft.com/entra/identity/authentication/howto-password-smart-lockout):
///   10 failures for an account within 15 minutes lock that account for 60 s; each further
///   lockout doubles, up to an hour, and lockouts are remembered for a day. Familiar and
///   unfamiliar locations count apart: a network (IPv4 address, IPv6 /64) the account signed in
///   from successfully within 30 days is familiar, so an attacker elsewhere locking the account
///   does not lock its owner out at their usual place. The account key is the UPN as typed
///   (lower-cased), so an unknown user locks exactly like a real one and lockouts reveal nothing.
///   A source network is locked only after `addressFailures` (100) failures, so the people
///   behind one NAT do not lock each other out with a few typos.
/// - Device user codes (RFC 8628 §5.1): 5 wrong entries per browser session, and 5 per source
///   network, within the code lifetime. Past a global number of wrong entries per minute,
///   answers slow down (`globalUserCodeSlowdown`) rather than stopping device login for
///   everyone.
/// - Device authorization requests (`/devicecode`): `deviceCodeRequests` per client and source
///   network within `deviceCodeWindow`, so one caller cannot fill the store with pending codes.
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
        /// How much slower a user-code entry is answered while the global cap is exceeded.
        public var globalUserCodeSlowdown: TimeInterval = 2
        /// Failures from one source network before that network is locked.
        public var addressFailures = 100
        /// How long a network stays familiar to an account after a successful sign-in from it.
        public var familiarLocationMemory: TimeInterval = 30 * 24 * 3600
        public var deviceCodeRequests = 30
        public var deviceCodeWindow: TimeInterval = 15 * 60

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

    static func userKey(tenantID: String, userPrincipalName: String, familiar: Bool) -> String {
        "password/user/\(tenantID)/\(userPrincipalName.lowercased())/\(familiar ? "familiar" : "unfamiliar")"
    }
    static func familiarKey(tenantID: String, userPrincipalName: String, address: String) -> String {
        "password/familiar/\(tenantID)/\(userPrincipalName.lowercased())/\(network(of: address))"
    }
    static func addressKey(_ address: String) -> String { "password/address/\(network(of: address))" }

    /// The network an address counts as: an IPv4 address itself, an IPv6 address by its /64
    /// (one host usually holds a whole /64, so counting single addresses would be no limit).
    public static func network(of address: String) -> String {
        guard address.contains(":") else { return address }
        var text = address.lowercased()
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        guard let bytes = ExternalIssuerDiscovery.ipv6(text) else { return text }
        if bytes[0 ..< 10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return bytes[12 ..< 16].map(String.init).joined(separator: ".")  // IPv4-mapped
        }
        let words = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return words.joined(separator: ":") + "::/64"
    }

    // MARK: Passwords

    private func isFamiliar(tenantID: String, userPrincipalName: String, address: String, now: Date) async throws -> Bool {
        try await store.rateLimit(key: Self.familiarKey(tenantID: tenantID, userPrincipalName: userPrincipalName,
                                                         address: address), now: now) != nil
    }

    /// When the account (as seen from this location) or the source network is locked, until
    /// when; nil when sign-in may be tried.
    public func passwordLockedUntil(tenantID: String, userPrincipalName: String, address: String) async throws -> Date? {
        let now = clock.now()
        let familiar = try await isFamiliar(tenantID: tenantID, userPrincipalName: userPrincipalName, address: address, now: now)
        var until: Date?
        for key in [Self.userKey(tenantID: tenantID, userPrincipalName: userPrincipalName, familiar: familiar),
                    Self.addressKey(address)] {
            if let locked = try await store.rateLimit(key: key, now: now)?.lockedUntil, locked > now {
                until = max(until ?? locked, locked)
            }
        }
        return until
    }

    /// Counts a failed password or second factor against the account (familiar or unfamiliar
    /// location) and the source network.
    public func recordPasswordFailure(tenantID: String, userPrincipalName: String, address: String) async throws {
        let familiar = try await isFamiliar(tenantID: tenantID, userPrincipalName: userPrincipalName, address: address,
                                            now: clock.now())
        try await countFailure(key: Self.userKey(tenantID: tenantID, userPrincipalName: userPrincipalName, familiar: familiar),
                               limit: policy.passwordFailures, window: policy.passwordWindow, lockable: true)
        try await countFailure(key: Self.addressKey(address), limit: policy.addressFailures, window: policy.passwordWindow,
                               lockable: true)
    }

    /// A successful sign-in clears the account's failure counts (not its lockout history) and
    /// makes the source network familiar to the account.
    public func recordPasswordSuccess(tenantID: String, userPrincipalName: String, address: String? = nil) async throws {
        let now = clock.now()
        for familiar in [true, false] {
            try await store.updateRateLimit(key: Self.userKey(tenantID: tenantID, userPrincipalName: userPrincipalName,
                                                              familiar: familiar), now: now) { state in
                guard var current = state else { return }
                current.count = 0
                state = current.lockouts == 0 ? nil : current
            }
        }
        guard let address else { return }
        let memory = policy.familiarLocationMemory
        try await store.updateRateLimit(key: Self.familiarKey(tenantID: tenantID, userPrincipalName: userPrincipalName,
                                                              address: address), now: now) { state in
            state = RateLimitState(count: 1, windowStart: now, expiresAt: now.addingTimeInterval(memory))
        }
    }

    // MARK: Device authorization requests

    /// Counts a `/devicecode` request for the client from the address; the seconds to wait when
    /// the budget is spent.
    public func deviceCodeRequestRetryAfter(clientID: String, address: String) async throws -> Int? {
        let key = "devicecode/\(clientID.lowercased())/\(Self.network(of: address))"
        let now = clock.now()
        if let state = try await store.rateLimit(key: key, now: now), state.count >= policy.deviceCodeRequests {
            return max(1, Int(state.windowStart.addingTimeInterval(policy.deviceCodeWindow).timeIntervalSince(now).rounded(.up)))
        }
        try await countFailure(key: key, limit: .max, window: policy.deviceCodeWindow, lockable: false)
        return nil
    }

    // MARK: User codes

    /// True when this browser session or source network has used up its wrong guesses. While
    /// the whole issuer sees a flood of wrong codes, the answer comes `globalUserCodeSlowdown`
    /// later instead: a few hundred addresses can slow device login, not shut it down.
    public func userCodeEntryBlocked(sessionID: String, address: String) async throws -> Bool {
        let now = clock.now()
        for key in ["usercode/session/\(sessionID)", "usercode/address/\(Self.network(of: address))"] {
            if let state = try await store.rateLimit(key: key, now: now), state.count >= policy.userCodeFailures {
                return true
            }
        }
        if let global = try await store.rateLimit(key: "usercode/global", now: now),
           global.count >= policy.globalUserCodeFailuresPerMinute, policy.globalUserCodeSlowdown > 0 {
            try await Task.sleep(for: .milliseconds(Int64(policy.globalUserCodeSlowdown * 1000)))
        }
        return false
    }

    public func recordUserCodeFailure(sessionID: String, address: String) async throws {
        try await countFailure(key: "usercode/session/\(sessionID)", limit: .max, window: policy.userCodeWindow, lockable: false)
        try await countFailure(key: "usercode/address/\(Self.network(of: address))", limit: .max, window: policy.userCodeWindow,
                               lockable: false)
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
