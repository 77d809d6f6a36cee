import Foundation

/// How privileged-access events enter the audit trail: `pim.<kind>.<action>` with the request's
/// outcome, justification, window and decision; `pim.<kind>.expired` when the garbage collector
/// tidies an ended schedule. Graph shows them as directory audits logged by "Privileged
/// Identity Management".
public enum PrivilegedAccessAudit {
    public static let kindPrefix = "pim."
    /// The actor of events no person caused (an expiry).
    public static let systemActor = "Privileged Identity Management"

    static func record(_ request: PrivilegedAccessRequest, caller: PrivilegedAccessCaller, in audit: AuditTrail) async {
        var details: [String: String] = [
            "requestId": request.id, "groupId": request.groupID, "principalId": request.principalID,
            "accessId": request.access.rawValue, "action": request.action.rawValue, "status": request.status.rawValue,
            "startDateTime": GraphDate.format(request.schedule.startsAt),
        ]
        if let justification = request.justification { details["justification"] = justification }
        if let endsAt = request.schedule.endsAt { details["endDateTime"] = GraphDate.format(endsAt) }
        if let ticket = request.ticketNumber { details["ticketNumber"] = ticket }
        if let review = request.review {
            details["reviewResult"] = review.approved ? "Approve" : "Deny"
            details["reviewedBy"] = review.reviewerID
            if let justification = review.justification { details["reviewJustification"] = justification }
        }
        let outcome = [.denied, .failed].contains(request.status) ? "failure" : "success"
        let decided = request.review != nil ? (request.review!.approved ? "approved" : "denied") : request.action.rawValue
        let event = request.status == .canceled ? "canceled" : request.status == .pendingApproval ? "requested" : decided
        await audit.record("\(kindPrefix)\(request.kind.rawValue).\(event)", tenantID: request.tenantID, outcome: outcome,
                           actor: caller.actor.name, subject: request.groupID, clientID: caller.actor.clientID,
                           details: details)
    }

    static func recordExpiry(of schedule: PrivilegedAccessSchedule, in audit: AuditTrail) async {
        var details: [String: String] = [
            "scheduleId": schedule.id, "groupId": schedule.groupID, "principalId": schedule.principalID,
            "accessId": schedule.access.rawValue, "startDateTime": GraphDate.format(schedule.startsAt),
        ]
        if let endsAt = schedule.endsAt { details["endDateTime"] = GraphDate.format(endsAt) }
        await audit.record("\(kindPrefix)\(schedule.kind.rawValue).expired", tenantID: schedule.tenantID,
                           actor: systemActor, subject: schedule.groupID, details: details)
    }

    static func details(of policy: PrivilegedAccessPolicy) -> [String: String] {
        [
            "accessId": policy.access.rawValue,
            "maximumActivationDuration": PrivilegedAccessDuration.format(policy.maximumActivationDuration),
            "activationRequirements": policy.activationRequirements.map(\.rawValue).sorted().joined(separator: ","),
            "approvalRequired": String(policy.approvalRequired),
        ]
    }
}
