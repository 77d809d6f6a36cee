import Foundation
import IdentityCore
import OAuthProtocol

/// PIM for groups as Graph writes it: requests, schedules, instances, policies and their rules,
/// approvals. Enum values camelCase, statuses PascalCase, durations ISO 8601. The CLI prints the
/// same shapes.
public enum PrivilegedAccessObjects {
    static func date(_ date: Date?) -> JSONValue { GraphObjects.date(date) }
    static func text(_ value: String?) -> JSONValue { GraphObjects.text(value) }

    public static func request(_ request: PrivilegedAccessRequest) -> JSONValue {
        let createdBy: JSONValue
        switch request.createdBy.kind {
        case .user: createdBy = .object([("user", .object([("id", text(request.createdBy.objectID))]))])
        case .application: createdBy = .object([("application", .object([("id", text(request.createdBy.objectID))]))])
        case .commandLine:
            createdBy = .object([("application", .object([("id", .null), ("displayName", .string("kubeid command line"))]))])
        }
        return .object([
            ("id", .string(request.id)),
            ("status", .string(request.status.rawValue)),
            ("createdDateTime", date(request.createdAt)),
            ("completedDateTime", date(request.completedAt)),
            ("approvalId", request.status == .pendingApproval || request.review != nil ? .string(request.id) : .null),
            ("customData", .null),
            ("createdBy", createdBy),
            ("action", .string(request.action.rawValue)),
            ("isValidationOnly", .bool(request.status == .granted)),
            ("justification", text(request.justification)),
            ("scheduleInfo", scheduleInfo(request.schedule)),
            ("ticketInfo", .object([("ticketNumber", text(request.ticketNumber)), ("ticketSystem", text(request.ticketSystem))])),
            ("accessId", .string(request.access.rawValue)),
            ("principalId", .string(request.principalID)),
            ("groupId", .string(request.groupID)),
            ("targetScheduleId", text(request.targetScheduleID)),
        ])
    }

    static func scheduleInfo(_ window: PrivilegedAccessWindow) -> JSONValue {
        var expiration: [(String, JSONValue)] = [("type", .string(window.expiration.rawValue))]
        switch window.expiration {
        case .afterDuration:
            expiration.append(("duration", window.duration.map { .string(PrivilegedAccessDuration.format($0)) } ?? .null))
            expiration.append(("endDateTime", .null))
        case .afterDateTime:
            expiration.append(("duration", .null))
            expiration.append(("endDateTime", date(window.endsAt)))
        case .noExpiration, .notSpecified:
            expiration.append(("duration", .null))
            expiration.append(("endDateTime", date(window.endsAt)))
        }
        return .object([("startDateTime", date(window.startsAt)), ("recurrence", .null), ("expiration", .object(expiration))])
    }

    static func scheduleWindow(_ schedule: PrivilegedAccessSchedule) -> JSONValue {
        let expiration: JSONValue = schedule.endsAt.map {
            .object([("type", .string("afterDateTime")), ("duration", .null), ("endDateTime", date($0))])
        } ?? .object([("type", .string("noExpiration")), ("duration", .null), ("endDateTime", .null)])
        return .object([("startDateTime", date(schedule.startsAt)), ("recurrence", .null), ("expiration", expiration)])
    }

    public static func schedule(_ schedule: PrivilegedAccessSchedule) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(schedule.id)),
            ("createdDateTime", date(schedule.createdAt)),
            ("modifiedDateTime", date(schedule.modifiedAt)),
            ("createdUsing", .string(schedule.createdUsing)),
            ("status", .string("Provisioned")),
            ("scheduleInfo", scheduleWindow(schedule)),
            ("accessId", .string(schedule.access.rawValue)),
            ("groupId", .string(schedule.groupID)),
            ("memberType", .string("direct")),
            ("principalId", .string(schedule.principalID)),
        ]
        if let type = schedule.assignmentType { members.append(("assignmentType", .string(type.rawValue))) }
        return .object(members)
    }

    public static func instance(_ schedule: PrivilegedAccessSchedule) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(schedule.id)),
            ("startDateTime", date(schedule.startsAt)),
            ("endDateTime", date(schedule.endsAt)),
            ("accessId", .string(schedule.access.rawValue)),
            ("groupId", .string(schedule.groupID)),
            ("memberType", .string("direct")),
            ("principalId", .string(schedule.principalID)),
        ]
        if let type = schedule.assignmentType {
            members.append(("assignmentType", .string(type.rawValue)))
            members.append(("assignmentScheduleId", .string(schedule.id)))
        } else {
            members.append(("eligibilityScheduleId", .string(schedule.id)))
        }
        return .object(members)
    }

    // MARK: Policies

    public static func policyAssignment(_ policy: PrivilegedAccessPolicy, expandPolicy: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string("\(policy.id)_assignment")),
            ("policyId", .string(policy.id)),
            ("scopeId", .string(policy.groupID)),
            ("scopeType", .string("Group")),
            ("roleDefinitionId", .string(policy.access.rawValue)),
        ]
        if expandPolicy { members.append(("policy", self.policy(policy))) }
        return .object(members)
    }

    public static func policy(_ policy: PrivilegedAccessPolicy) -> JSONValue {
        .object([
            ("id", .string(policy.id)),
            ("displayName", .string("Group")),
            ("description", .string("Group")),
            ("isOrganizationDefault", .bool(false)),
            ("scopeId", .string(policy.groupID)),
            ("scopeType", .string("Group")),
            ("lastModifiedDateTime", date(policy.modifiedAt)),
            ("lastModifiedBy", policy.modifiedBy.map { .object([("displayName", .null), ("id", .string($0))]) } ?? .null),
            ("rules", .array(rules(policy))),
        ])
    }

    public static func rules(_ policy: PrivilegedAccessPolicy) -> [JSONValue] {
        PrivilegedAccessRule.allCases.map { rule(of: policy, $0) }
    }

    public static func rule(of policy: PrivilegedAccessPolicy, _ rule: PrivilegedAccessRule) -> JSONValue {
        var members: [(String, JSONValue)] = [("@odata.type", .string(rule.odataType)), ("id", .string(rule.rawValue))]
        switch rule {
        case .activationExpiration:
            members += [("isExpirationRequired", .bool(true)),
                        ("maximumDuration", .string(PrivilegedAccessDuration.format(policy.maximumActivationDuration)))]
        case .activationEnablement:
            members.append(("enabledRules", .strings(policy.activationRequirements.map(\.rawValue).sorted())))
        case .activationApproval:
            let approvers: [JSONValue] = policy.approvers.map { approver in
                switch approver {
                case .user(let id):
                    return .object([("@odata.type", .string("#microsoft.graph.singleUser")), ("userId", .string(id)),
                                    ("description", .null), ("isBackup", .bool(false))])
                case .groupMembers(let id):
                    return .object([("@odata.type", .string("#microsoft.graph.groupMembers")), ("groupId", .string(id)),
                                    ("description", .null), ("isBackup", .bool(false))])
                }
            }
            members.append(("setting", .object([
                ("isApprovalRequired", .bool(policy.approvalRequired)),
                ("isApprovalRequiredForExtension", .bool(false)),
                ("isRequestorJustificationRequired", .bool(true)),
                ("approvalMode", .string("SingleStage")),
                ("approvalStages", .array([.object([
                    ("approvalStageTimeOutInDays", .integer(1)), ("isApproverJustificationRequired", .bool(true)),
                    ("escalationTimeInMinutes", .integer(0)), ("isEscalationEnabled", .bool(false)),
                    ("primaryApprovers", .array(approvers)), ("escalationApprovers", .array([])),
                ])])),
            ])))
        case .eligibilityExpiration:
            members += [("isExpirationRequired", .bool(policy.eligibilityExpirationRequired)),
                        ("maximumDuration", .string(PrivilegedAccessDuration.format(policy.maximumEligibilityDuration)))]
        case .assignmentExpiration:
            members += [("isExpirationRequired", .bool(policy.assignmentExpirationRequired)),
                        ("maximumDuration", .string(PrivilegedAccessDuration.format(policy.maximumAssignmentDuration)))]
        }
        members.append(("target", .object([
            ("caller", .string(rule.caller)), ("operations", .strings(["All"])), ("level", .string(rule.level)),
            ("inheritableSettings", .array([])), ("enforcedSettings", .array([])),
        ])))
        return .object(members)
    }

    // MARK: Approvals

    public static func approval(_ request: PrivilegedAccessRequest, assignedToMe: Bool) -> JSONValue {
        let review = request.review
        let stage: JSONValue = .object([
            ("id", .string(request.id)),
            ("assignedToMe", .bool(assignedToMe)),
            ("displayName", .null),
            ("justification", text(review?.justification)),
            ("reviewResult", .string(review.map { $0.approved ? "Approve" : "Deny" } ?? "NotReviewed")),
            ("reviewedBy", review.map { .object([("id", .string($0.reviewerID)), ("displayName", .null)]) } ?? .null),
            ("reviewedDateTime", date(review?.reviewedAt)),
            ("status", .string(request.status == .pendingApproval ? "InProgress" : "Completed")),
        ])
        return .object([("id", .string(request.id)), ("stages", .array([stage]))])
    }
}
