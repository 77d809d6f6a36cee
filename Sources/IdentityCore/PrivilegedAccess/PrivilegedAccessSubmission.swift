import Foundation

/// A request as a client submits it (Graph's create body, a CLI command, the `/pim` page),
/// before it is checked against the policy.
public struct PrivilegedAccessSubmission: Sendable {
    public var kind: PrivilegedAccessSchedule.Kind
    public var action: PrivilegedAccessRequest.Action
    public var groupID: String
    public var principalID: String
    public var access: PrivilegedAccessSchedule.Access
    public var justification: String?
    public var ticketNumber: String?
    public var ticketSystem: String?
    /// Nil: now.
    public var startsAt: Date?
    public var expiration: PrivilegedAccessWindow.Expiration
    public var duration: TimeInterval?
    public var endsAt: Date?
    /// Graph's `scheduleInfo.recurrence` was given (unsupported, as in Entra).
    public var hasRecurrence: Bool
    /// Check only (`isValidationOnly`): nothing is stored.
    public var isValidationOnly: Bool

    public init(kind: PrivilegedAccessSchedule.Kind, action: PrivilegedAccessRequest.Action, groupID: String,
                principalID: String, access: PrivilegedAccessSchedule.Access = .member, justification: String? = nil,
                ticketNumber: String? = nil, ticketSystem: String? = nil, startsAt: Date? = nil,
                expiration: PrivilegedAccessWindow.Expiration = .notSpecified, duration: TimeInterval? = nil,
                endsAt: Date? = nil, hasRecurrence: Bool = false, isValidationOnly: Bool = false) {
        self.kind = kind
        self.action = action
        self.groupID = groupID
        self.principalID = principalID
        self.access = access
        self.justification = justification
        self.ticketNumber = ticketNumber
        self.ticketSystem = ticketSystem
        self.startsAt = startsAt
        self.expiration = expiration
        self.duration = duration
        self.endsAt = endsAt
        self.hasRecurrence = hasRecurrence
        self.isValidationOnly = isValidationOnly
    }
}
