import Foundation
import Synchronization

/// Counts failures per key in a sliding window and says when a key must wait
/// (RFC 6819 §4.3.5; 20 bad secrets for one client from one address in 60 s → 429, as Entra).
///
/// Keyed by client *and* address, so an attacker hammering a client id from one place does not
/// lock that client out for its legitimate callers elsewhere. In memory: each issuer instance
/// counts its own (a multi-instance deployment multiplies the budget by the instance count).
/// A lock rather than an actor: every token request asks it, and a lookup must not suspend.
public final class FailureThrottle: Sendable {
    private let limit: Int
    private let window: TimeInterval
    private let clock: any IdentityClock
    private let maximumKeys: Int
    private let entries = Mutex<[String: Entry]>([:])

    private struct Entry {
        var count: Int
        var windowStart: Date
    }

    public init(limit: Int = 20, window: TimeInterval = 60, clock: any IdentityClock = SystemClock(),
                maximumKeys: Int = 100_000) {
        self.limit = limit
        self.window = window
        self.clock = clock
        self.maximumKeys = maximumKeys
    }

    /// Seconds the key must still wait, or nil when it may try.
    public func retryAfter(_ key: String) -> Int? {
        let now = clock.now()
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            let elapsed = now.timeIntervalSince(entry.windowStart)
            if elapsed >= window {
                entries[key] = nil
                return nil
            }
            return entry.count >= limit ? max(1, Int((window - elapsed).rounded(.up))) : nil
        }
    }

    /// Makes room by dropping the oldest tenth of the keys, those not throttled first: a flood
    /// of made-up client ids (one failure each) must not wipe the counts of a client under
    /// attack, as clearing the whole table would.
    private func evictOldest(_ entries: inout [String: Entry]) {
        let excess = entries.count - maximumKeys + 1
        let batch = max(excess, maximumKeys / 10, 1)
        let victims = entries.sorted { left, right in
            let leftThrottled = left.value.count >= limit, rightThrottled = right.value.count >= limit
            if leftThrottled != rightThrottled { return !leftThrottled }
            return left.value.windowStart < right.value.windowStart
        }.prefix(batch)
        for victim in victims { entries[victim.key] = nil }
    }

    public func recordFailure(_ key: String) {
        let now = clock.now()
        entries.withLock { entries in
            if let entry = entries[key], now.timeIntervalSince(entry.windowStart) < window {
                entries[key]?.count = entry.count + 1
            } else {
                if entries.count >= maximumKeys {
                    entries = entries.filter { now.timeIntervalSince($0.value.windowStart) < window }
                    if entries.count >= maximumKeys { evictOldest(&entries) }
                }
                entries[key] = Entry(count: 1, windowStart: now)
            }
        }
    }
}
