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
public struct GroupMembership: Sendable, Hashable, Codable {
    public enum MemberKind: String, Sendable, Codable, CaseIterable {
        case user, group, servicePrincipal
    }
    public var tenantID: String
    public var groupID: String
    public var memberID: String
    public var memberKind: MemberKind

    public init(tenantID: String, groupID: String, memberID: String, memberKind: MemberKind) {
        self.tenantID = tenantID
        self.groupID = groupID
        self.memberID = memberID
        self.memberKind = memberKind
    }
}
