/// The policy rules kubeid enforces for a group, by Graph's rule ids.
public enum PrivilegedAccessRule: String, CaseIterable, Sendable {
    case activationExpiration = "Expiration_EndUser_Assignment"
    case activationEnablement = "Enablement_EndUser_Assignment"
    case activationApproval = "Approval_EndUser_Assignment"
    case eligibilityExpiration = "Expiration_Admin_Eligibility"
    case assignmentExpiration = "Expiration_Admin_Assignment"

    var odataType: String {
        switch self {
        case .activationExpiration, .eligibilityExpiration, .assignmentExpiration:
            return "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"
        case .activationEnablement: return "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule"
        case .activationApproval: return "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule"
        }
    }

    var caller: String { self == .eligibilityExpiration || self == .assignmentExpiration ? "Admin" : "EndUser" }
    var level: String { self == .eligibilityExpiration ? "Eligibility" : "Assignment" }
}
