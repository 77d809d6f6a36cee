import Foundation
import Logging

/// Deletes what has expired: device authorizations, authorization codes, refresh tokens, replay
/// entries, rate-limit counters, signing keys past their publication, and (when a retention is
/// set) old audit events and sign-in records.
///
/// Every deletion is a bounded batch (at most ``batchSize`` rows, itself at most 10,000), one
/// short transaction each, repeated until a batch comes back short: a backlog of millions is
/// cleared without an unbounded `SELECT` or `DELETE` and without holding locks for long
/// (see docs/operations.md). Running it on every instance at once is safe: the stores' batches
/// skip rows another instance is deleting (PostgreSQL `SKIP LOCKED`) or serialise (SQLite), and
/// deleting an expired row twice is impossible.
///
/// Time comes from the injected clock, so tests pin it.
public struct GarbageCollector: Sendable {
    /// How many rows of each kind one run deleted.
    public struct Report: Sendable, Equatable {
        public var deviceAuthorizations = 0
        public var authorizationCodes = 0
        public var refreshTokens = 0
        public var replayEntries = 0
        public var rateLimits = 0
        public var signingKeys = 0
        public var auditEvents = 0
        public var signIns = 0
        /// Ended privileged-access schedules (their expiry is audited as they go).
        public var privilegedAccessSchedules = 0

        public init() {}

        public var total: Int {
            deviceAuthorizations + authorizationCodes + refreshTokens + replayEntries + rateLimits + signingKeys
                + auditEvents + signIns + privilegedAccessSchedules
        }
    }

    /// The largest batch a store is ever asked to delete.
    public static let maximumBatchSize = 10_000

    private let store: any IdentityStore
    private let clock: any IdentityClock
    public let batchSize: Int
    /// Audit events older than this are deleted; nil keeps them forever.
    public let auditRetention: TimeInterval?
    /// Sign-in records older than this are deleted; nil keeps them forever.
    public let signInRetention: TimeInterval?
    private let logger: Logger

    public init(store: any IdentityStore, clock: any IdentityClock = SystemClock(),
                batchSize: Int = GarbageCollector.maximumBatchSize, auditRetention: TimeInterval? = nil,
                signInRetention: TimeInterval? = nil, logger: Logger = Logger(label: "kubeid.gc")) {
        precondition(batchSize > 0, "batchSize must be positive")
        self.store = store
        self.clock = clock
        self.batchSize = min(batchSize, Self.maximumBatchSize)
        self.auditRetention = auditRetention
        self.signInRetention = signInRetention
        self.logger = logger
    }

    /// One pass over every kind, each until a batch comes back short. Throws the first store
    /// error (what was deleted before it stays deleted).
    @discardableResult
    public func collect() async throws -> Report {
        let now = clock.now()
        let store = store
        var report = Report()
        report.deviceAuthorizations = try await drain { try await store.deleteExpiredDeviceAuthorizations(now: now, limit: $0) }
        report.authorizationCodes = try await drain { try await store.deleteExpiredAuthorizationCodes(now: now, limit: $0) }
        report.refreshTokens = try await drain { try await store.deleteExpiredRefreshTokens(now: now, limit: $0) }
        report.replayEntries = try await drain { try await store.purgeExpiredReplayEntries(now: now, limit: $0) }
        report.rateLimits = try await drain { try await store.deleteExpiredRateLimits(now: now, limit: $0) }
        report.signingKeys = try await drain { try await store.deleteRemovedSigningKeys(now: now, limit: $0) }
        let audit = AuditTrail(store: store, clock: clock, logger: logger)
        report.privilegedAccessSchedules = try await drain { limit in
            let ended = try await store.deleteEndedPrivilegedAccess(before: now, limit: limit)
            for schedule in ended { await PrivilegedAccessAudit.recordExpiry(of: schedule, in: audit) }
            return ended.count
        }
        if let auditRetention {
            let before = now.addingTimeInterval(-auditRetention)
            report.auditEvents = try await drain { try await store.deleteAuditEvents(before: before, limit: $0) }
        }
        if let signInRetention {
            let before = now.addingTimeInterval(-signInRetention)
            report.signIns = try await drain { try await store.deleteSignIns(before: before, limit: $0) }
        }
        return report
    }

    /// Runs ``collect()`` now and then every `interval` until the task is cancelled. A failed
    /// pass (database unreachable) is logged and the next one tries again; it never ends the loop.
    ///
    /// - Parameter sleep: waits between passes; tests pass one that advances a manual clock.
    public func run(every interval: Duration,
                    sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) async {
        await RepeatingPass.run(every: interval, sleep: sleep, logger: logger,
                                failure: "garbage collection failed; retrying at the next interval") {
            let report = try await collect()
            if report.total > 0 {
                logger.info("expired records deleted", metadata: [
                    "deviceAuthorizations": "\(report.deviceAuthorizations)",
                    "authorizationCodes": "\(report.authorizationCodes)",
                    "refreshTokens": "\(report.refreshTokens)", "replayEntries": "\(report.replayEntries)",
                    "rateLimits": "\(report.rateLimits)", "signingKeys": "\(report.signingKeys)",
                    "auditEvents": "\(report.auditEvents)", "signIns": "\(report.signIns)",
                ])
            }
        }
    }

    /// Deletes in batches of ``batchSize`` until one comes back short; returns the total.
    private func drain(_ deleteBatch: (Int) async throws -> Int) async throws -> Int {
        var total = 0
        while true {
            try Task.checkCancellation()
            let deleted = try await deleteBatch(batchSize)
            total += deleted
            if deleted < batchSize { return total }
        }
    }
}
