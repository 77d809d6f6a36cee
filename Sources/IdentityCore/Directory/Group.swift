import Foundation

/// A security group. Members are users, service principals or other groups; token claims use
/// the transitive closure (see ``GroupMembershipResolver``).
public struct Group: Sendable, Hashable, Codable {
    public var tenantID: String
    /// The id that appears in the `groups` claim.
    public var objectID: String
    public var displayName: String
    public var mailNickname: String
    /// Graph's free-text `description`.
    public var description: String?
    public var createdAt: Date

    public init(tenantID: String, objectID: String, displayName: String, mailNickname: String, createdAt: Date,
                description: String? = nil) {
        self.tenantID = tenantID
        self.objectID = objectID
        self.displayName = displayName
        self.mailNickname = mailNickname
        self.description = description
        self.createdAt = createdAt
    }
}

/// One edge of the membership graph: `memberID` is a direct member of `groupID`.
///
/// An edge may be time-bound (a just-in-time activation or a time-limited assignment, see
/// docs/just-in-time-access.md): it counts from `startsAt` (inclusive) to `endsAt` (exclusive).
/// The store keeps ended edges until they are tidied; every reader asks ``isActive(at:)``, so an
/// edge stops counting at its end on every instance without any write.
public struct GroupMembership: Sendable, Hashable, Codable {
    public enum MemberKind: String, Sendable, Codable, CaseIterable {
        case user, group, servicePrincipal
    }
    public var tenantID: String
    public var groupID: String
    public var memberID: String
    public var memberKind: MemberKind
    /// Nil: counts since it was added.
    public var startsAt: Date?
    /// Nil: permanent.
    public var endsAt: Date?
    /// The privileged-access schedule that made this edge, when one did.
    public var scheduleID: String?

    public init(tenantID: String, groupID: String, memberID: String, memberKind: MemberKind,
                startsAt: Date? = nil, endsAt: Date? = nil, scheduleID: String? = nil) {
        self.tenantID = tenantID
        self.groupID = groupID
        self.memberID = memberID
        self.memberKind = memberKind
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.scheduleID = scheduleID
    }

    /// Whether the edge counts at `instant`.
    public func isActive(at instant: Date) -> Bool {
        if let startsAt, instant < startsAt { return false }
        if let endsAt, instant >= endsAt { return false }
        return true
    }

    /// Whether the edge has ended by `instant` (it will never count again).
    public func hasEnded(at instant: Date) -> Bool {
        guard let endsAt else { return false }
        return instant >= endsAt
    }
}
