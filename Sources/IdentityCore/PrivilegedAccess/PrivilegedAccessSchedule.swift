import Foundation

/// A privileged-access schedule for a group (Graph's PIM for groups): an *eligibility* (the
/// principal may activate the access later) or an *assignment* (the access is held now, through
/// a time-bound membership edge the schedule owns). See docs/just-in-time-access.md.
public struct PrivilegedAccessSchedule: Sendable, Hashable, Codable {
    /// Which half of PIM for groups a schedule or request belongs to.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case eligibility, assignment
    }

    /// What the schedule grants: membership (the `groups` claim) or ownership.
    public enum Access: String, Sendable, Codable, CaseIterable {
        case member, owner
    }

    /// How an assignment came to be: given by an administrator, or activated from an eligibility.
    public enum AssignmentType: String, Sendable, Codable {
        case assigned, activated
    }

    /// Graph's `<groupId>_<accessId>_<requestId>` form.
    public var id: String
    public var tenantID: String
    public var kind: Kind
    public var groupID: String
    /// A user, or (eligibility only) a group whose members are eligible.
    public var principalID: String
    public var access: Access
    /// Nil for eligibilities.
    public var assignmentType: AssignmentType?
    public var startsAt: Date
    /// Nil: no expiration.
    public var endsAt: Date?
    /// The request that created the schedule.
    public var createdUsing: String
    public var createdAt: Date
    public var modifiedAt: Date

    public init(id: String, tenantID: String, kind: Kind, groupID: String, principalID: String, access: Access,
                assignmentType: AssignmentType?, startsAt: Date, endsAt: Date?, createdUsing: String, createdAt: Date,
                modifiedAt: Date) {
        self.id = id
        self.tenantID = tenantID
        self.kind = kind
        self.groupID = groupID
        self.principalID = principalID
        self.access = access
        self.assignmentType = assignmentType
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdUsing = createdUsing
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
    }

    public static func makeID(groupID: String, access: Access, requestID: String) -> String {
        "\(groupID)_\(access.rawValue)_\(requestID)"
    }

    /// Whether the schedule grants its access at `instant`.
    public func isActive(at instant: Date) -> Bool {
        instant >= startsAt && endsAt.map { instant < $0 } ?? true
    }

    /// Whether it has ended by `instant` (it will never grant again).
    public func hasEnded(at instant: Date) -> Bool {
        endsAt.map { instant >= $0 } ?? false
    }
}
