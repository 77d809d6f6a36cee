import Foundation
import IdentityCore
import Synchronization

/// Per-client request budget of the Graph admin API: a token bucket per (tenant, principal,
/// app) refilling at `perMinute` a minute. Over budget, Graph answers 429 with `Retry-After`.
/// At most `maximumClients` buckets are kept; the least recently used goes first, so a flood
/// of new clients cannot reset everyone's budget.
final class GraphThrottle: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let perMinute: Int
    private let maximumClients: Int
    private let clock: any IdentityClock
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perMinute: Int, maximumClients: Int = 10_000, clock: any IdentityClock) {
        self.perMinute = max(perMinute, 1)
        self.maximumClients = maximumClients
        self.clock = clock
    }

    /// Takes one request from the client's budget; nil when allowed, else seconds to wait.
    func admit(_ client: String) -> Int? {
        let now = clock.now()
        let rate = Double(perMinute) / 60
        return buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: Double(perMinute), updated: now)
            bucket.tokens = min(Double(perMinute), bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
            bucket.updated = now
            defer {
                buckets[client] = bucket
                if buckets.count > maximumClients,
                   let oldest = buckets.min(by: { $0.value.updated < $1.value.updated })?.key {
                    buckets[oldest] = nil
                }
            }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}
