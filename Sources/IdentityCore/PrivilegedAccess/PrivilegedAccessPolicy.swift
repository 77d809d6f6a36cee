import Foundation

/// The rules for one group and one access kind (member or owner), as Graph's
/// `unifiedRoleManagementPolicy` for a group holds them. A group without a stored policy has
/// ``defaults(tenantID:groupID:access:)``, Entra's defaults.
public struct PrivilegedAccessPolicy: Sendable, Hashable, Codable {
    /// What an activation must carry (`Enablement_EndUser_Assignment`'s `enabledRules`).
    public enum ActivationRequirement: String, Sendable, Codable, CaseIterable {
        case justification = "Justification"
        case multiFactorAuthentication = "MultiFactorAuthentication"
        case ticketing = "Ticketing"
    }

    /// Who may approve an activation.
    public enum Approver: Sendable, Hashable, Codable {
        case user(String)
        /// Any member (transitive) of the group.
        case groupMembers(String)
    }

    public var tenantID: String
    public var groupID: String
    public var access: PrivilegedAccessSchedule.Access
    /// Longest activation (`Expiration_EndUser_Assignment`).
    public var maximumActivationDuration: TimeInterval
    public var activationRequirements: Set<ActivationRequirement>
    public var approvalRequired: Bool
    public var approvers: [Approver]
    /// `Expiration_Admin_Eligibility`.
    public var eligibilityExpirationRequired: Bool
    public var maximumEligibilityDuration: TimeInterval
    /// `Expiration_Admin_Assignment`.
    public var assignmentExpirationRequired: Bool
    public var maximumAssignmentDuration: TimeInterval
    /// Nil until the policy is first changed.
    public var modifiedAt: Date?
    public var modifiedBy: String?

    public init(tenantID: String, groupID: String, access: PrivilegedAccessSchedule.Access,
                maximumActivationDuration: TimeInterval, activationRequirements: Set<ActivationRequirement>,
                approvalRequired: Bool, approvers: [Approver], eligibilityExpirationRequired: Bool,
                maximumEligibilityDuration: TimeInterval, assignmentExpirationRequired: Bool,
                maximumAssignmentDuration: TimeInterval, modifiedAt: Date? = nil, modifiedBy: String? = nil) {
        self.tenantID = tenantID
        self.groupID = groupID
        self.access = access
        self.maximumActivationDuration = maximumActivationDuration
        self.activationRequirements = activationRequirements
        self.approvalRequired = approvalRequired
        self.approvers = approvers
        self.eligibilityExpirationRequired = eligibilityExpirationRequired
        self.maximumEligibilityDuration = maximumEligibilityDuration
        self.assignmentExpirationRequired = assignmentExpirationRequired
        self.maximumAssignmentDuration = maximumAssignmentDuration
        self.modifiedAt = modifiedAt
        self.modifiedBy = modifiedBy
    }

    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86_400

    /// Entra's defaults: activations up to eight hours with a justification, no approval,
    /// eligibilities up to a year and active assignments up to 180 days, neither required to end.
    public static func defaults(tenantID: String, groupID: String, access: PrivilegedAccessSchedule.Access) -> PrivilegedAccessPolicy {
        PrivilegedAccessPolicy(tenantID: tenantID, groupID: groupID, access: access,
                               maximumActivationDuration: 8 * hour, activationRequirements: [.justification],
                               approvalRequired: false, approvers: [], eligibilityExpirationRequired: false,
                               maximumEligibilityDuration: 365 * day, assignmentExpirationRequired: false,
                               maximumAssignmentDuration: 180 * day)
    }

    /// Graph's id for the policy: `Group_<groupId>_<tenantId-derived>_<access>` in Entra; kubeid
    /// keeps the recognisable shape `Group_<groupId>_<access>`.
    public var id: String { Self.id(groupID: groupID, access: access) }

    public static func id(groupID: String, access: PrivilegedAccessSchedule.Access) -> String {
        "Group_\(groupID)_\(access.rawValue)"
    }

    /// The group and access a policy id names, nil for any other id.
    public static func parse(id: String) -> (groupID: String, access: PrivilegedAccessSchedule.Access)? {
        let parts = id.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "Group", let groupID = ObjectID.canonical(String(parts[1])),
              let access = PrivilegedAccessSchedule.Access(rawValue: String(parts[2])) else { return nil }
        return (groupID, access)
    }
}
