import Foundation
import Hummingbird
import IdentityCore
import OAuthProtocol

/// `/v1.0/policies/roleManagementPolicyAssignments` (with the required `$filter` on `scopeId`
/// and `scopeType eq 'Group'`, `$expand=policy($expand=rules)`) and
/// `/v1.0/policies/roleManagementPolicies/{id}[/rules[/{ruleId}]]`, PATCH on a rule: a group's
/// PIM policy as Graph's rules.
struct GraphPrivilegedAccessPolicyRoutes {
    let endpoint: GraphEndpoint

    var service: PrivilegedAccess { endpoint.issuer.privilegedAccess }

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/v1.0/policies/roleManagementPolicyAssignments") { request, context in
            await endpoint.handle(request, context, rule: .readPrivilegedAccessPolicies) { call in
                try await assignments(call)
            }
        }
        router.get("/v1.0/policies/roleManagementPolicies/{id}") { request, context in
            await endpoint.handle(request, context, rule: .readPrivilegedAccessPolicies) { call in
                .entity(PrivilegedAccessObjects.policy(try await policy(call)), context: "policies/roleManagementPolicies/$entity")
            }
        }
        router.get("/v1.0/policies/roleManagementPolicies/{id}/rules") { request, context in
            await endpoint.handle(request, context, rule: .readPrivilegedAccessPolicies) { call in
                let policy = try await policy(call)
                return .collection(PrivilegedAccessObjects.rules(policy),
                                   context: "policies/roleManagementPolicies('\(policy.id)')/rules")
            }
        }
        router.get("/v1.0/policies/roleManagementPolicies/{id}/rules/{ruleId}") { request, context in
            await endpoint.handle(request, context, rule: .readPrivilegedAccessPolicies) { call in
                let policy = try await policy(call)
                return .entity(PrivilegedAccessObjects.rule(of: policy, try rule(call)),
                               context: "policies/roleManagementPolicies('\(policy.id)')/rules/$entity")
            }
        }
        router.patch("/v1.0/policies/roleManagementPolicies/{id}/rules/{ruleId}") { request, context in
            await endpoint.handle(request, context, rule: .writePrivilegedAccessPolicies) { call in
                try await update(call)
                return .noContent
            }
        }
    }

    /// Graph requires the filter to name one group: `scopeId eq '<group>' and scopeType eq 'Group'`.
    private func assignments(_ call: GraphCall) async throws -> GraphReply {
        guard let text = call.query.filterText, let groupID = Self.equality("scopeId", in: text).flatMap(ObjectID.canonical),
              Self.equality("scopeType", in: text)?.lowercased() == "group" else {
            throw GraphError.badRequest("This method requires the $filter (eq) query parameter to scope the request to a scopeId and a scopeType: scopeId eq '<group id>' and scopeType eq 'Group'.")
        }
        guard try await endpoint.issuer.store.group(tenantID: call.tenantID, objectID: groupID) != nil else {
            throw GraphError.notFound
        }
        let expand = call.query.expand.map { $0.lowercased().hasPrefix("policy") } ?? false
        var items: [JSONValue] = []
        for access in PrivilegedAccessSchedule.Access.allCases {
            let policy = try await service.policy(tenantID: call.tenantID, groupID: groupID, access: access)
            items.append(PrivilegedAccessObjects.policyAssignment(policy, expandPolicy: expand))
        }
        return .collection(items, context: "policies/roleManagementPolicyAssignments")
    }

    /// `name eq 'value'` inside a filter's text, the value unquoted.
    static func equality(_ name: String, in filter: String) -> String? {
        let pattern = "\(name) eq '"
        guard let start = filter.range(of: pattern, options: .caseInsensitive)?.upperBound,
              let end = filter[start...].firstIndex(of: "'") else { return nil }
        return String(filter[start..<end])
    }

    private func policy(_ call: GraphCall) async throws -> PrivilegedAccessPolicy {
        guard let (groupID, access) = PrivilegedAccessPolicy.parse(id: try call.parameter("id")),
              try await endpoint.issuer.store.group(tenantID: call.tenantID, objectID: groupID) != nil else {
            throw GraphError.notFound
        }
        return try await service.policy(tenantID: call.tenantID, groupID: groupID, access: access)
    }

    private func rule(_ call: GraphCall) throws -> PrivilegedAccessRule {
        let id = try call.parameter("ruleId")
        guard let rule = PrivilegedAccessRule(rawValue: id) else {
            throw GraphError.badRequest("kubeid does not support the policy rule '\(id)'; it supports \(PrivilegedAccessRule.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return rule
    }

    private func update(_ call: GraphCall) async throws {
        guard let (groupID, access) = PrivilegedAccessPolicy.parse(id: try call.parameter("id")) else { throw GraphError.notFound }
        let rule = try rule(call)
        let body = call.body
        let caller = call.caller.privilegedAccessCaller
        let policy = try await service.policy(tenantID: call.tenantID, groupID: groupID, access: access)
        var edited = policy
        try Self.apply(body, rule: rule, to: &edited, call: call)
        _ = try await service.updatePolicy(tenantID: call.tenantID, groupID: groupID, access: access, by: caller) { $0 = edited }
    }

    private static func duration(_ body: [String: JSONValue], _ call: GraphCall) throws -> TimeInterval? {
        guard let text = try call.optionalString("maximumDuration") else { return nil }
        guard let seconds = PrivilegedAccessDuration.parse(text), seconds > 0 else {
            throw GraphError.badRequest("Property 'maximumDuration' must be an ISO 8601 duration such as PT8H (got '\(text)').")
        }
        return seconds
    }

    static func apply(_ body: [String: JSONValue], rule: PrivilegedAccessRule, to policy: inout PrivilegedAccessPolicy,
                      call: GraphCall) throws {
        switch rule {
        case .activationExpiration:
            try call.rejectUnknownProperties(allowed: ["id", "isExpirationRequired", "maximumDuration", "target"])
            if let seconds = try duration(body, call) { policy.maximumActivationDuration = seconds }
        case .eligibilityExpiration, .assignmentExpiration:
            try call.rejectUnknownProperties(allowed: ["id", "isExpirationRequired", "maximumDuration", "target"])
            let required = try call.optionalBool("isExpirationRequired")
            let seconds = try duration(body, call)
            if rule == .eligibilityExpiration {
                if let required { policy.eligibilityExpirationRequired = required }
                if let seconds { policy.maximumEligibilityDuration = seconds }
            } else {
                if let required { policy.assignmentExpirationRequired = required }
                if let seconds { policy.maximumAssignmentDuration = seconds }
            }
        case .activationEnablement:
            try call.rejectUnknownProperties(allowed: ["id", "enabledRules", "target"])
            guard let names = try call.optionalStrings("enabledRules") else { return }
            policy.activationRequirements = Set(try names.map { name in
                guard let requirement = PrivilegedAccessPolicy.ActivationRequirement.allCases
                    .first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                    throw GraphError.badRequest("Unknown enabled rule '\(name)': use Justification, MultiFactorAuthentication or Ticketing.")
                }
                return requirement
            })
        case .activationApproval:
            try call.rejectUnknownProperties(allowed: ["id", "setting", "target"])
            guard let setting = try call.optionalObject("setting") else { return }
            if case .bool(let required)? = setting["isApprovalRequired"] { policy.approvalRequired = required }
            if case .array(let stages)? = setting["approvalStages"] {
                guard stages.count <= 1 else { throw GraphError.badRequest("kubeid supports one approval stage (approvalMode SingleStage).") }
                if case .object(let stage)? = stages.first,
                   case .array(let approvers)? = stage.first(where: { $0.0 == "primaryApprovers" })?.1 {
                    policy.approvers = try approvers.map(approver)
                }
            }
        }
    }

    private static func approver(_ value: JSONValue) throws -> PrivilegedAccessPolicy.Approver {
        guard case .object(let members) = value else { throw GraphError.badRequest("An approver must be an object.") }
        var fields: [String: String] = [:]
        for case let (name, .string(text)) in members { fields[name] = text }
        let type = fields["@odata.type"]?.lowercased() ?? ""
        if type.hasSuffix("singleuser"), let id = fields["userId"].flatMap(ObjectID.canonical) { return .user(id) }
        if type.hasSuffix("groupmembers"), let id = fields["groupId"].flatMap(ObjectID.canonical) { return .groupMembers(id) }
        throw GraphError.badRequest("An approver must be #microsoft.graph.singleUser with userId or #microsoft.graph.groupMembers with groupId.")
    }
}
