import OAuthProtocol

/// PIM for groups in the OpenAPI document: schedule requests, schedules and instances for both
/// kinds, approvals, and the groups' role management policies (docs/just-in-time-access.md).
///
/// `{id}` on a request, schedule, instance or approval path also takes Graph's
/// `filterByCurrentUser(on='principal')` (`on='approver'` for approvals), which answers a
/// collection; the schemas say so.
extension GraphOpenAPIDocument {
    static let privilegedAccessBase = "/identityGovernance/privilegedAccess/group"
    static let assignmentScope = ["PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup"]
    static let eligibilityScope = ["PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
                                   "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup"]
    static let readPolicies = ["RoleManagementPolicy.ReadWrite.AzureADGroup", "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
                               "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup"]
    static let writePolicies = ["RoleManagementPolicy.ReadWrite.AzureADGroup"]

    static var privilegedAccessOperations: [Operation] {
        scheduleOperations(kind: "assignment", permissions: assignmentScope)
            + scheduleOperations(kind: "eligibility", permissions: eligibilityScope)
            + approvalOperations + policyOperations
    }

    private static func scheduleOperations(kind: String, permissions: [String]) -> [Operation] {
        let requests = "\(privilegedAccessBase)/\(kind)ScheduleRequests"
        let schedules = "\(privilegedAccessBase)/\(kind)Schedules"
        let instances = "\(privilegedAccessBase)/\(kind)ScheduleInstances"
        let query: [Parameter] = [.top, .filter, .select, .orderBy, .count, .skipToken]
        return [
            Operation(method: "get", path: requests, operationID: "pim.\(kind)ScheduleRequests.list",
                      summary: "\(kind.capitalized) schedule requests (an eligible user sees their own)", permissions: permissions,
                      query: query, success: (200, collection("privilegedAccessGroupScheduleRequest"))),
            Operation(method: "post", path: requests, operationID: "pim.\(kind)ScheduleRequests.create",
                      summary: kind == "assignment"
                          ? "Activate, deactivate, assign, extend or remove an active membership"
                          : "Make someone eligible, or update, extend or remove an eligibility",
                      permissions: permissions, body: "privilegedAccessGroupScheduleRequestCreate",
                      success: (201, ref("privilegedAccessGroupScheduleRequest"))),
            Operation(method: "get", path: "\(requests)/{id}", operationID: "pim.\(kind)ScheduleRequests.get",
                      summary: "One request, or filterByCurrentUser(on='principal')", permissions: permissions, query: [.select],
                      success: (200, entityOrCollection("privilegedAccessGroupScheduleRequest"))),
            Operation(method: "post", path: "\(requests)/{id}/cancel", operationID: "pim.\(kind)ScheduleRequests.cancel",
                      summary: "Cancel a pending request (its requester or an administrator)", permissions: permissions,
                      success: (204, nil)),
            Operation(method: "get", path: schedules, operationID: "pim.\(kind)Schedules.list",
                      summary: "\(kind.capitalized) schedules that have not ended", permissions: permissions, query: query,
                      success: (200, collection("privilegedAccessGroupSchedule"))),
            Operation(method: "get", path: "\(schedules)/{id}", operationID: "pim.\(kind)Schedules.get",
                      summary: "One schedule, or filterByCurrentUser(on='principal')", permissions: permissions, query: [.select],
                      success: (200, entityOrCollection("privilegedAccessGroupSchedule"))),
            Operation(method: "get", path: instances, operationID: "pim.\(kind)ScheduleInstances.list",
                      summary: "\(kind.capitalized)s in effect now", permissions: permissions, query: query,
                      success: (200, collection("privilegedAccessGroupScheduleInstance"))),
            Operation(method: "get", path: "\(instances)/{id}", operationID: "pim.\(kind)ScheduleInstances.get",
                      summary: "One instance, or filterByCurrentUser(on='principal')", permissions: permissions, query: [.select],
                      success: (200, entityOrCollection("privilegedAccessGroupScheduleInstance"))),
        ]
    }

    private static var approvalOperations: [Operation] {
        let approvals = "\(privilegedAccessBase)/assignmentApprovals"
        return [
            Operation(method: "get", path: "\(approvals)/{id}", operationID: "pim.assignmentApprovals.get",
                      summary: "The approval of a request (its id is the request's), or filterByCurrentUser(on='approver')",
                      permissions: assignmentScope, success: (200, entityOrCollection("privilegedAccessApproval"))),
            Operation(method: "get", path: "\(approvals)/{id}/stages", operationID: "pim.assignmentApprovals.stages.list",
                      summary: "The approval's one stage", permissions: assignmentScope,
                      success: (200, collection("privilegedAccessApprovalStage"))),
            Operation(method: "patch", path: "\(approvals)/{id}/stages/{stageId}", operationID: "pim.assignmentApprovals.stages.review",
                      summary: "Approve or deny (an approver of the group's policy)", permissions: assignmentScope,
                      body: "privilegedAccessApprovalReview", success: (204, nil)),
        ]
    }

    private static var policyOperations: [Operation] {
        [
            Operation(method: "get", path: "/policies/roleManagementPolicyAssignments", operationID: "pim.policyAssignments.list",
                      summary: "A group's policies: $filter=scopeId eq '<group>' and scopeType eq 'Group' is required",
                      permissions: readPolicies, query: [.filter, .select],
                      success: (200, collection("unifiedRoleManagementPolicyAssignment"))),
            Operation(method: "get", path: "/policies/roleManagementPolicies/{id}", operationID: "pim.policies.get",
                      summary: "A group's policy for member or owner", permissions: readPolicies, query: [.select],
                      success: (200, ref("unifiedRoleManagementPolicy"))),
            Operation(method: "get", path: "/policies/roleManagementPolicies/{id}/rules", operationID: "pim.policies.rules.list",
                      summary: "The policy's rules", permissions: readPolicies,
                      success: (200, collection("unifiedRoleManagementPolicyRule"))),
            Operation(method: "get", path: "/policies/roleManagementPolicies/{id}/rules/{ruleId}", operationID: "pim.policies.rules.get",
                      summary: "One rule", permissions: readPolicies, success: (200, ref("unifiedRoleManagementPolicyRule"))),
            Operation(method: "patch", path: "/policies/roleManagementPolicies/{id}/rules/{ruleId}",
                      operationID: "pim.policies.rules.update", summary: "Change one rule", permissions: writePolicies,
                      body: "unifiedRoleManagementPolicyRuleUpdate", success: (204, nil)),
        ]
    }

    // MARK: Schemas

    static var privilegedAccessSchemas: [(String, JSONValue)] {
        let anyObject = object(("type", .string("object")))
        let scheduleInfo = properties([
            ("startDateTime", nullable(dateTime)), ("recurrence", object(("type", .string("null")))),
            ("expiration", properties([("type", string), ("duration", nullable(string)), ("endDateTime", nullable(dateTime))])),
        ])
        return [
            ("privilegedAccessGroupScheduleRequest", properties([
                ("id", string), ("status", string), ("createdDateTime", nullable(dateTime)), ("completedDateTime", nullable(dateTime)),
                ("approvalId", nullable(string)), ("customData", nullable(string)), ("createdBy", anyObject), ("action", string),
                ("isValidationOnly", boolean), ("justification", nullable(string)), ("scheduleInfo", scheduleInfo),
                ("ticketInfo", properties([("ticketNumber", nullable(string)), ("ticketSystem", nullable(string))])),
                ("accessId", string), ("principalId", uuid), ("groupId", uuid), ("targetScheduleId", nullable(string)),
            ])),
            ("privilegedAccessGroupSchedule", properties([
                ("id", string), ("createdDateTime", nullable(dateTime)), ("modifiedDateTime", nullable(dateTime)),
                ("createdUsing", string), ("status", string), ("scheduleInfo", scheduleInfo), ("accessId", string),
                ("groupId", uuid), ("memberType", string), ("principalId", uuid), ("assignmentType", string),
            ])),
            ("privilegedAccessGroupScheduleInstance", properties([
                ("id", string), ("startDateTime", nullable(dateTime)), ("endDateTime", nullable(dateTime)), ("accessId", string),
                ("groupId", uuid), ("memberType", string), ("principalId", uuid), ("assignmentType", string),
                ("assignmentScheduleId", string), ("eligibilityScheduleId", string),
            ])),
            ("privilegedAccessApprovalStage", properties([
                ("id", string), ("assignedToMe", boolean), ("displayName", nullable(string)), ("justification", nullable(string)),
                ("reviewResult", string), ("reviewedBy", nullable(anyObject)), ("reviewedDateTime", nullable(dateTime)),
                ("status", string),
            ])),
            ("privilegedAccessApproval", properties([("id", string), ("stages", array(ref("privilegedAccessApprovalStage")))])),
            ("unifiedRoleManagementPolicyRule", properties([("@odata.type", string), ("id", string), ("target", anyObject)])),
            ("unifiedRoleManagementPolicy", properties([
                ("id", string), ("displayName", string), ("description", string), ("isOrganizationDefault", boolean),
                ("scopeId", uuid), ("scopeType", string), ("lastModifiedDateTime", nullable(dateTime)),
                ("lastModifiedBy", nullable(anyObject)), ("rules", array(ref("unifiedRoleManagementPolicyRule"))),
            ])),
            ("unifiedRoleManagementPolicyAssignment", properties([
                ("id", string), ("policyId", string), ("scopeId", uuid), ("scopeType", string), ("roleDefinitionId", string),
                ("policy", ref("unifiedRoleManagementPolicy")),
            ])),
            ("privilegedAccessGroupScheduleRequestCreate", properties([
                ("accessId", object(("enum", .strings(["member", "owner"])))),
                ("action", object(("enum", .strings(["adminAssign", "adminUpdate", "adminRemove", "adminExtend", "adminRenew",
                                                      "selfActivate", "selfDeactivate", "selfExtend", "selfRenew"])))),
                ("groupId", uuid), ("principalId", uuid), ("justification", string), ("isValidationOnly", boolean),
                ("targetScheduleId", string),
                ("scheduleInfo", properties([
                    ("startDateTime", dateTime),
                    ("expiration", properties([
                        ("type", object(("enum", .strings(["afterDuration", "afterDateTime", "noExpiration", "notSpecified"])))),
                        ("duration", string), ("endDateTime", dateTime),
                    ])),
                ])),
                ("ticketInfo", properties([("ticketNumber", string), ("ticketSystem", string)])),
            ], required: ["accessId", "action", "groupId", "principalId"])),
            ("privilegedAccessApprovalReview", properties([
                ("reviewResult", object(("enum", .strings(["Approve", "Deny"])))), ("justification", string),
            ], required: ["reviewResult"])),
            ("unifiedRoleManagementPolicyRuleUpdate", properties([
                ("@odata.type", string), ("id", string), ("isExpirationRequired", boolean), ("maximumDuration", string),
                ("enabledRules", strings), ("setting", anyObject), ("target", anyObject),
            ])),
        ]
    }

    /// One `item`, or a collection of them (`filterByCurrentUser(…)` in place of an id).
    private static func entityOrCollection(_ item: String) -> JSONValue {
        object(("anyOf", .array([ref(item), collection(item)])))
    }
}
