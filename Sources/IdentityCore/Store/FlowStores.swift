import Foundation

// Rules shared by the flow stores below:
// - Their writes never change ``DirectoryChangeFeed/directoryVersion()`` (they happen on every
//   sign-in, poll and refresh; the directory cache must survive them).
// - An `update…` closure may run more than once, must only modify the value it is given, and
//   cannot change the record's key (the stored key is kept whatever it sets). If it throws,
//   nothing is stored and its error is rethrown unchanged. The update returns the stored value.
// - Garbage collection deletes at most `limit` records (none when `limit` <= 0) and returns how
//   many it deleted.

/// Device-code sign-ins in progress.
public protocol DeviceAuthorizationStore: Sendable {
    /// Inserts a new authorization. Throws `StoreError.alreadyExists` if the device-code hash,
    /// or the user code among authorizations that have not expired at `createdAt`, is taken (the
    /// caller then draws a new user code).
    func createDeviceAuthorization(_ authorization: DeviceAuthorization) async throws
    /// The authorization with this device-code hash, or nil (expired ones are still returned
    /// until garbage-collected; the flow decides).
    func deviceAuthorization(deviceCodeHash: [UInt8]) async throws -> DeviceAuthorization?
    /// The newest (latest `createdAt`) authorization with this normalised user code, or nil. The
    /// code is compared exactly: callers normalise before storing and before looking up.
    func deviceAuthorization(userCode: String) async throws -> DeviceAuthorization?
    /// Reads, applies `change`, and stores atomically (serialised against concurrent updates of
    /// the same row: a poll and an approval never interleave). `change` may run more than once
    /// and may throw to abort without storing. `deviceCodeHash` and `userCode` cannot change
    /// (the user code's uniqueness is checked only on create). Throws `StoreError.notFound` when
    /// absent.
    @discardableResult
    func updateDeviceAuthorization(deviceCodeHash: [UInt8],
                                   _ change: @Sendable (inout DeviceAuthorization) throws -> Void) async throws -> DeviceAuthorization
    /// Deletes authorizations whose `expiresAt` is at or before `now`, at most `limit`.
    func deleteExpiredDeviceAuthorizations(now: Date, limit: Int) async throws -> Int
}

/// Authorization codes between `/authorize` and their redemption.
public protocol AuthorizationCodeStore: Sendable {
    /// Throws `StoreError.alreadyExists` if the hash is taken.
    func createAuthorizationCode(_ code: AuthorizationCodeRecord) async throws
    func authorizationCode(codeHash: [UInt8]) async throws -> AuthorizationCodeRecord?
    /// Atomic read-modify-write as ``DeviceAuthorizationStore/updateDeviceAuthorization(deviceCodeHash:_:)``
    /// (the single-redemption check: of 50 concurrent updates whose closures throw when
    /// `redeemedAt` is set, exactly one stores). `codeHash` cannot change. Throws
    /// `StoreError.notFound` when absent.
    @discardableResult
    func updateAuthorizationCode(codeHash: [UInt8],
                                 _ change: @Sendable (inout AuthorizationCodeRecord) throws -> Void) async throws -> AuthorizationCodeRecord
    /// Deletes codes whose `expiresAt` is at or before `now`, at most `limit`.
    func deleteExpiredAuthorizationCodes(now: Date, limit: Int) async throws -> Int
}

/// Refresh tokens.
public protocol RefreshTokenStore: Sendable {
    /// Throws `StoreError.alreadyExists` if the id or the token hash is taken.
    func createRefreshToken(_ token: RefreshTokenRecord) async throws
    func refreshToken(tokenHash: [UInt8]) async throws -> RefreshTokenRecord?
    func refreshToken(id: String) async throws -> RefreshTokenRecord?
    /// Atomic read-modify-write of one token (the rotation compare-and-swap: of 50 concurrent
    /// updates whose closures throw unless `state == .active`, exactly one stores). `change` may
    /// run more than once. `id` and `tokenHash` cannot change (rotation creates a new record).
    /// Throws `StoreError.notFound` when absent.
    @discardableResult
    func updateRefreshToken(id: String, _ change: @Sendable (inout RefreshTokenRecord) throws -> Void) async throws -> RefreshTokenRecord
    /// Marks every token of the family revoked. Returns how many changed (tokens already revoked
    /// do not count). `now` is the moment of revocation; the record keeps no revocation time, so
    /// a backend may ignore it (expired tokens are revoked too).
    @discardableResult
    func revokeRefreshTokenFamily(familyID: String, now: Date) async throws -> Int
    /// Marks every active or rotated token of the user revoked (disable, password reset, delete).
    /// Returns how many changed; `now` as for ``revokeRefreshTokenFamily(familyID:now:)``.
    @discardableResult
    func revokeRefreshTokens(tenantID: String, userObjectID: String, now: Date) async throws -> Int
    /// Every token of the user (any state), newest first (by `createdAt`, then `id`).
    func refreshTokens(tenantID: String, userObjectID: String) async throws -> [RefreshTokenRecord]
    /// Deletes tokens whose `expiresAt` is at or before `now`, at most `limit`.
    func deleteExpiredRefreshTokens(now: Date, limit: Int) async throws -> Int
}

/// Counters and lockouts that must hold across every issuer instance.
public protocol RateLimitStore: Sendable {
    /// Atomically reads the state for `key` (nil if absent or expired at `now`), applies `change`
    /// and stores the result (deleting it when `change` sets it to nil). Concurrent updates of one
    /// key serialise: 50 concurrent increments count 50. Returns the stored state. A stored state
    /// expired at `now` is replaced (or deleted) as if absent.
    @discardableResult
    func updateRateLimit(key: String, now: Date, _ change: @Sendable (inout RateLimitState?) throws -> Void) async throws -> RateLimitState?
    /// The state for `key`, or nil if absent or expired at `now`.
    func rateLimit(key: String, now: Date) async throws -> RateLimitState?
    /// Deletes states whose `expiresAt` is at or before `now`, at most `limit`.
    func deleteExpiredRateLimits(now: Date, limit: Int) async throws -> Int
}

/// The audit trail.
public protocol AuditEventStore: Sendable {
    /// Appends an event. Throws `StoreError.alreadyExists` if its id is taken.
    func appendAuditEvent(_ event: AuditEvent) async throws
    /// Appends several events in one transaction: all of them or, when it throws, none. Throws
    /// `StoreError.alreadyExists` if any id is taken (or repeated in `events`). Empty: no-op.
    func appendAuditEvents(_ events: [AuditEvent]) async throws
    /// Events at or after `since`, oldest first (by `time`, then `id`), at most `limit` (none when
    /// `limit` <= 0); only the tenant's when `tenantID` is given, every event (with or without a
    /// tenant) when it is nil.
    func auditEvents(tenantID: String?, since: Date, limit: Int) async throws -> [AuditEvent]
    /// Deletes events before `before`, at most `limit` (retention).
    func deleteAuditEvents(before: Date, limit: Int) async throws -> Int
}
