import Foundation

/// PIM for groups: policies, requests and schedules (docs/just-in-time-access.md).
///
/// Requests and schedules are stored whole (the domain's values), keyed as listed; the store
/// decides nothing about them except what must hold across instances, in
/// ``commitPrivilegedAccess(_:)``.
public protocol PrivilegedAccessStore: Sendable {
    /// The stored policy for a group and access kind, nil while it has Entra's defaults.
    func privilegedAccessPolicy(tenantID: String, groupID: String,
                                access: PrivilegedAccessSchedule.Access) async throws -> PrivilegedAccessPolicy?
    /// Inserts or replaces the policy for its group and access kind.
    func savePrivilegedAccessPolicy(_ policy: PrivilegedAccessPolicy) async throws
    func privilegedAccessRequest(tenantID: String, id: String) async throws -> PrivilegedAccessRequest?
    /// Every request of the kind in the tenant, newest first (then by id).
    func privilegedAccessRequests(tenantID: String,
                                  kind: PrivilegedAccessSchedule.Kind) async throws -> [PrivilegedAccessRequest]
    func privilegedAccessSchedule(tenantID: String, id: String) async throws -> PrivilegedAccessSchedule?
    /// Every schedule of the kind in the tenant, ended ones too, ordered by start then id.
    func privilegedAccessSchedules(tenantID: String,
                                   kind: PrivilegedAccessSchedule.Kind) async throws -> [PrivilegedAccessSchedule]
    /// Applies one request's outcome atomically (see ``PrivilegedAccessChange``). Throws
    /// `StoreError.conflict` when `expectedStatus` no longer holds, `StoreError.alreadyExists`
    /// when a schedule or membership edge it creates would overlap a live one, and
    /// `StoreError.notFound` when a schedule or edge it changes is gone (or the group is).
    func commitPrivilegedAccess(_ change: PrivilegedAccessChange) async throws
    /// Deletes schedules and membership edges that ended before `instant` (the garbage
    /// collector's tidying: readers ignore them already), at most `limit` schedules. Returns the
    /// deleted schedules, so their expiry can be audited.
    func deleteEndedPrivilegedAccess(before instant: Date, limit: Int) async throws -> [PrivilegedAccessSchedule]
}
