import Foundation

/// Remembers one-time identifiers (assertion `jti`s) until they expire, across instances.
public protocol ReplayCache: Sendable {
    /// Records `id` in `namespace` until `expiresAt`. Returns true if it was not already recorded
    /// (the caller may proceed) and false if it was (a replay). Atomic: of two concurrent calls
    /// with the same id (from any process), exactly one returns true. An entry whose `expiresAt`
    /// is at or before `now` counts as absent (recording it again returns true and stores the
    /// new `expiresAt`). Replay-cache writes do not change ``DirectoryChangeFeed/directoryVersion()``.
    func recordOnce(namespace: String, id: String, expiresAt: Date, now: Date) async throws -> Bool
    /// Deletes entries whose `expiresAt` is at or before `now`, at most `limit` of them (none
    /// when `limit` <= 0). Returns how many.
    func purgeExpiredReplayEntries(now: Date, limit: Int) async throws -> Int
}
