import Foundation

/// Every way a privileged-access request is refused, as the Graph error a client sees (the CLI
/// prints the message). Policy failures name the failed rule the way Entra's messages do
/// (`The following policy rules failed: ["JustificationRule"]`), which tools parse.
extension GraphError {
    static func policyRuleFailed(_ rule: String, _ explanation: String) -> GraphError {
        GraphError(status: 400, code: "RoleAssignmentRequestPolicyValidationFailed",
                   message: "The following policy rules failed: [\"\(rule)\"]. \(explanation)")
    }

    static let justificationRequired = policyRuleFailed(
        "JustificationRule", "A justification is required to activate this access.")
    static let ticketRequired = policyRuleFailed(
        "TicketingRule", "Ticket information (ticketInfo.ticketNumber) is required to activate this access.")
    static let multiFactorRequired = policyRuleFailed(
        "MfaRule", "Multi-factor authentication is required to activate this access: sign in again with a second factor.")

    static func durationOverMaximum(_ requested: TimeInterval, maximum: TimeInterval) -> GraphError {
        policyRuleFailed("ExpirationRule", "The requested duration \(PrivilegedAccessDuration.format(requested)) is longer than the maximum \(PrivilegedAccessDuration.format(maximum)) the policy allows.")
    }

    static let expirationRequired = policyRuleFailed(
        "ExpirationRule", "The policy requires this assignment to expire: give scheduleInfo.expiration an end or a duration.")

    static func notEligible(groupID: String, access: PrivilegedAccessSchedule.Access) -> GraphError {
        GraphError(status: 400, code: "RoleAssignmentDoesNotExist",
                   message: "The principal has no eligible \(access.rawValue) assignment for group \(groupID) to activate.")
    }

    static func noLiveSchedule(_ kind: PrivilegedAccessSchedule.Kind, groupID: String) -> GraphError {
        GraphError(status: 400, code: "RoleAssignmentDoesNotExist",
                   message: "There is no \(kind == .eligibility ? "eligible" : "active") assignment of this principal for group \(groupID).")
    }

    static let alreadyAssigned = GraphError(
        status: 400, code: "RoleAssignmentExists",
        message: "The principal already has this access to the group (an active assignment, an activation or a direct membership).")

    static let scheduleInPast = GraphError(
        status: 400, code: "InvalidScheduleRequest", message: "The schedule's start or end is in the past.")
    static let recurrenceUnsupported = GraphError(
        status: 400, code: "InvalidScheduleRequest", message: "Recurring schedules are not supported.")
    static func invalidSchedule(_ message: String) -> GraphError {
        GraphError(status: 400, code: "InvalidScheduleRequest", message: message)
    }

    static func actionNotSupported(_ action: PrivilegedAccessRequest.Action, _ kind: PrivilegedAccessSchedule.Kind) -> GraphError {
        GraphError(status: 400, code: "Request_BadRequest",
                   message: "The action '\(action.rawValue)' is not supported on \(kind.rawValue) schedule requests.")
    }

    static let selfServiceForOthers = GraphError(
        status: 403, code: "Authorization_RequestDenied",
        message: "A self-service action (selfActivate, selfDeactivate) can only be requested by a user for themselves.")
    static let administratorsOnly = GraphError(
        status: 403, code: "Authorization_RequestDenied",
        message: "Admin actions need the application permission or the Global Administrator or Privileged Role Administrator role.")
    static let notAnApprover = GraphError(
        status: 403, code: "Authorization_RequestDenied", message: "You are not an approver of this request.")
    static let requestNotPending = GraphError(
        status: 400, code: "RequestNotPending", message: "The request is not pending approval (it was approved, denied or canceled).")
}
