import Foundation

/// One request's outcome, applied by ``PrivilegedAccessStore/commitPrivilegedAccess(_:)`` in one
/// transaction: the request row, at most one schedule write and one membership write.
public struct PrivilegedAccessChange: Sendable {
    public enum ScheduleWrite: Sendable {
        /// Inserts; a schedule of the same kind, group, principal and access that ended by
        /// ``PrivilegedAccessChange/now`` is replaced, a live one makes it fail.
        case create(PrivilegedAccessSchedule)
        /// Replaces the stored schedule with this id (a new end).
        case update(PrivilegedAccessSchedule)
        case delete(id: String)
    }

    public enum MembershipWrite: Sendable {
        /// Inserts the edge; an ended edge between the same two is replaced, a live one makes it fail.
        case add(GroupMembership)
        /// Moves the end of the edge the schedule made.
        case setEnd(scheduleID: String, endsAt: Date?)
        /// Removes the edge the schedule made (no error when it is already gone: an administrator
        /// may have removed the member through the directory).
        case remove(scheduleID: String)
    }

    /// Inserted, or (with `expectedStatus`) replacing the stored request of this id.
    public var request: PrivilegedAccessRequest
    public var expectedStatus: PrivilegedAccessRequest.Status?
    public var schedule: ScheduleWrite?
    public var membership: MembershipWrite?
    /// What "ended" means for replacements.
    public var now: Date

    public init(request: PrivilegedAccessRequest, expectedStatus: PrivilegedAccessRequest.Status? = nil,
                schedule: ScheduleWrite? = nil, membership: MembershipWrite? = nil, now: Date) {
        self.request = request
        self.expectedStatus = expectedStatus
        self.schedule = schedule
        self.membership = membership
        self.now = now
    }
}
