import Foundation

/// A request to create, change or end a privileged-access schedule, as Graph's
/// `privilegedAccessGroupAssignmentScheduleRequest` / `…EligibilityScheduleRequest` carries it.
/// Requests are kept: they are the history the portal's "My requests" and the audit trail show.
public struct PrivilegedAccessRequest: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        case adminAssign, adminUpdate, adminRemove, adminExtend, adminRenew
        case selfActivate, selfDeactivate, selfExtend, selfRenew

        /// Actions a principal takes for itself, with the delegated scope and no directory role.
        public var isSelfService: Bool { rawValue.hasPrefix("self") }
    }

    /// Graph's `status` strings, PascalCase on the wire.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case canceled = "Canceled"
        case denied = "Denied"
        case failed = "Failed"
        case granted = "Granted"
        case pendingApproval = "PendingApproval"
        case provisioned = "Provisioned"
        case revoked = "Revoked"
        case scheduleCreated = "ScheduleCreated"
    }

    /// Who made the request: a user or an app (service principal), or the command line.
    public struct Requestor: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Codable { case user, application, commandLine }
        public var kind: Kind
        /// Object id (user or service principal); nil for the command line.
        public var objectID: String?

        public init(kind: Kind, objectID: String?) {
            self.kind = kind
            self.objectID = objectID
        }
    }

    /// What an approver decided.
    public struct Review: Sendable, Hashable, Codable {
        public var approved: Bool
        public var reviewerID: String
        public var justification: String?
        public var reviewedAt: Date

        public init(approved: Bool, reviewerID: String, justification: String?, reviewedAt: Date) {
            self.approved = approved
            self.reviewerID = reviewerID
            self.justification = justification
            self.reviewedAt = reviewedAt
        }
    }

    public var id: String
    public var tenantID: String
    public var kind: PrivilegedAccessSchedule.Kind
    public var action: Action
    public var groupID: String
    public var principalID: String
    public var access: PrivilegedAccessSchedule.Access
    public var status: Status
    public var createdBy: Requestor
    public var createdAt: Date
    public var completedAt: Date?
    public var justification: String?
    public var ticketNumber: String?
    public var ticketSystem: String?
    /// The window asked for (resolved: a duration is turned into an end at the start).
    public var schedule: PrivilegedAccessWindow
    public var targetScheduleID: String?
    public var review: Review?

    public init(id: String, tenantID: String, kind: PrivilegedAccessSchedule.Kind, action: Action, groupID: String,
                principalID: String, access: PrivilegedAccessSchedule.Access, status: Status, createdBy: Requestor,
                createdAt: Date, completedAt: Date? = nil, justification: String? = nil, ticketNumber: String? = nil,
                ticketSystem: String? = nil, schedule: PrivilegedAccessWindow, targetScheduleID: String? = nil,
                review: Review? = nil) {
        self.id = id
        self.tenantID = tenantID
        self.kind = kind
        self.action = action
        self.groupID = groupID
        self.principalID = principalID
        self.access = access
        self.status = status
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.completedAt = completedAt
        self.justification = justification
        self.ticketNumber = ticketNumber
        self.ticketSystem = ticketSystem
        self.schedule = schedule
        self.targetScheduleID = targetScheduleID
        self.review = review
    }
}
