import Foundation
import Hummingbird
import IdentityCore
import OAuthProtocol

/// `/v1.0/identityGovernance/privilegedAccess/group/…`: PIM for groups' schedule requests,
/// schedules and instances (assignment and eligibility), `filterByCurrentUser(on='…')` on each,
/// `cancel`, and `assignmentApprovals` with their stage decisions (docs/just-in-time-access.md).
struct GraphPrivilegedAccessRoutes {
    let endpoint: GraphEndpoint

    static let base = "/v1.0/identityGovernance/privilegedAccess/group"

    var service: PrivilegedAccess { endpoint.issuer.privilegedAccess }

    func register(on router: Router<IdentityRequestContext>) {
        for kind in PrivilegedAccessSchedule.Kind.allCases {
            registerRequests(kind, on: router)
            registerSchedules(kind, on: router)
        }
        registerApprovals(on: router)
    }

    private static func rule(_ kind: PrivilegedAccessSchedule.Kind) -> GraphAccessRule {
        kind == .assignment ? .privilegedAssignments : .privilegedEligibilities
    }

    private func registerRequests(_ kind: PrivilegedAccessSchedule.Kind, on router: Router<IdentityRequestContext>) {
        let path = "\(Self.base)/\(kind.rawValue)ScheduleRequests"
        let context = "identityGovernance/privilegedAccess/group/\(kind.rawValue)ScheduleRequests"
        router.get(RouterPath(stringLiteral: path)) { request, requestContext in
            await endpoint.handle(request, requestContext, rule: Self.rule(kind)) { call in
                .collection(try await visibleRequests(call, kind: kind).map(PrivilegedAccessObjects.request), context: context)
            }
        }
        router.post(RouterPath(stringLiteral: path)) { request, requestContext in
            await endpoint.handle(request, requestContext, rule: Self.rule(kind)) { call in
                let submission = try PrivilegedAccessRequestBody.submission(call, kind: kind)
                let created = try await service.submit(submission, tenantID: call.tenantID, by: call.caller.privilegedAccessCaller)
                return .entity(PrivilegedAccessObjects.request(created), context: "\(context)/$entity", status: 201)
            }
        }
        router.get(RouterPath(stringLiteral: "\(path)/{id}")) { request, requestContext in
            await endpoint.handle(request, requestContext, rule: Self.rule(kind)) { call in
                let id = try call.parameter("id")
                if let on = try Self.filterByCurrentUser(id) {
                    return .collection(try await currentUserRequests(call, kind: kind, on: on).map(PrivilegedAccessObjects.request),
                                       context: context)
                }
                return .entity(PrivilegedAccessObjects.request(try await visibleRequest(call, id: id)), context: "\(context)/$entity")
            }
        }
        router.post(RouterPath(stringLiteral: "\(path)/{id}/cancel")) { request, requestContext in
            await endpoint.handle(request, requestContext, rule: Self.rule(kind)) { call in
                _ = try await service.cancel(requestID: try call.parameter("id"), tenantID: call.tenantID,
                                             by: call.caller.privilegedAccessCaller)
                return .noContent
            }
        }
    }

    private func registerSchedules(_ kind: PrivilegedAccessSchedule.Kind, on router: Router<IdentityRequestContext>) {
        for (segment, render) in [("Schedules", PrivilegedAccessObjects.schedule), ("ScheduleInstances", PrivilegedAccessObjects.instance)] {
            let path = "\(Self.base)/\(kind.rawValue)\(segment)"
            let context = "identityGovernance/privilegedAccess/group/\(kind.rawValue)\(segment)"
            router.get(RouterPath(stringLiteral: path)) { request, requestContext in
                await endpoint.handle(request, requestContext, rule: Self.rule(kind)) { call in
                    .collection(try await visibleSchedules(call, kind: kind, instancesOnly: segment != "Schedules").map(render),
                                context: context)
                }
            }
            router.get(RouterPath(stringLiteral: "\(path)/{id}")) { request, requestContext in
                await endpoint.handle(request, requestContext, rule: Self.rule(kind)) { call in
                    let id = try call.parameter("id")
                    let visible = try await visibleSchedules(call, kind: kind, instancesOnly: segment != "Schedules")
                    if let on = try Self.filterByCurrentUser(id) {
                        guard on == "principal" else {
                            throw GraphError.badRequest("filterByCurrentUser on schedules supports on='principal'.")
                        }
                        return .collection(visible.filter { $0.principalID == call.caller.objectID }.map(render), context: context)
                    }
                    guard let schedule = visible.first(where: { $0.id == id }) else { throw GraphError.notFound }
                    return .entity(render(schedule), context: "\(context)/$entity")
                }
            }
        }
    }

    private func registerApprovals(on router: Router<IdentityRequestContext>) {
        let path = "\(Self.base)/assignmentApprovals"
        let context = "identityGovernance/privilegedAccess/group/assignmentApprovals"
        router.get(RouterPath(stringLiteral: "\(path)/{id}")) { request, requestContext in
            await endpoint.handle(request, requestContext, rule: .privilegedAssignments) { call in
                let id = try call.parameter("id")
                if let on = try Self.filterByCurrentUser(id) {
                    guard on == "approver" else { throw GraphError.badRequest("filterByCurrentUser on approvals supports on='approver'.") }
                    let pending = try await service.pendingApprovals(tenantID: call.tenantID, approverID: call.caller.objectID)
                    return .collection(pending.map { PrivilegedAccessObjects.approval($0, assignedToMe: true) }, context: context)
                }
                let (approval, mine) = try await approval(call, id: id)
                return .entity(PrivilegedAccessObjects.approval(approval, assignedToMe: mine), context: "\(context)/$entity")
            }
        }
        router.get(RouterPath(stringLiteral: "\(path)/{id}/stages")) { request, requestContext in
            await endpoint.handle(request, requestContext, rule: .privilegedAssignments) { call in
                let (approval, mine) = try await approval(call, id: try call.parameter("id"))
                guard case .object(let members) = PrivilegedAccessObjects.approval(approval, assignedToMe: mine),
                      case .array(let stages)? = members.first(where: { $0.0 == "stages" })?.1 else { return .collection([], context: context) }
                return .collection(stages, context: "\(context)('\(approval.id)')/stages")
            }
        }
        router.patch(RouterPath(stringLiteral: "\(path)/{id}/stages/{stageId}")) { request, requestContext in
            await endpoint.handle(request, requestContext, rule: .privilegedAssignments) { call in
                let id = try call.parameter("id")
                guard try call.parameter("stageId") == id else { throw GraphError.notFound }
                try call.rejectUnknownProperties(allowed: ["reviewResult", "justification"])
                let result = try call.string("reviewResult").lowercased()
                guard result == "approve" || result == "deny" else {
                    throw GraphError.badRequest("Property 'reviewResult' must be 'Approve' or 'Deny'.")
                }
                _ = try await service.review(requestID: id, tenantID: call.tenantID, approve: result == "approve",
                                             justification: try call.optionalString("justification"),
                                             by: call.caller.privilegedAccessCaller)
                return .noContent
            }
        }
    }

    // MARK: Visibility

    /// Administrators see every request; a person sees the requests for them or made by them.
    private func visibleRequests(_ call: GraphCall, kind: PrivilegedAccessSchedule.Kind) async throws -> [PrivilegedAccessRequest] {
        let all = try await service.requests(tenantID: call.tenantID, kind: kind)
        if call.caller.privilegedAccessCaller.isAdministrator { return all }
        return all.filter { $0.principalID == call.caller.objectID || $0.createdBy.objectID == call.caller.objectID }
    }

    private func visibleRequest(_ call: GraphCall, id: String) async throws -> PrivilegedAccessRequest {
        guard let request = try await service.request(tenantID: call.tenantID, id: id) else { throw GraphError.notFound }
        let caller = call.caller.privilegedAccessCaller
        guard caller.isAdministrator || request.principalID == call.caller.objectID
                || request.createdBy.objectID == call.caller.objectID else { throw GraphError.notFound }
        return request
    }

    private func currentUserRequests(_ call: GraphCall, kind: PrivilegedAccessSchedule.Kind,
                                     on: String) async throws -> [PrivilegedAccessRequest] {
        let me = call.caller.objectID
        switch on {
        case "principal":
            return try await service.requests(tenantID: call.tenantID, kind: kind).filter { $0.principalID == me }
        case "createdBy":
            return try await service.requests(tenantID: call.tenantID, kind: kind).filter { $0.createdBy.objectID == me }
        case "approver":
            return kind == .assignment ? try await service.pendingApprovals(tenantID: call.tenantID, approverID: me) : []
        default:
            throw GraphError.badRequest("filterByCurrentUser supports on='principal', 'createdBy' or 'approver'.")
        }
    }

    /// Live schedules (instances: only those granting now); a person sees their own and their groups'.
    private func visibleSchedules(_ call: GraphCall, kind: PrivilegedAccessSchedule.Kind,
                                  instancesOnly: Bool) async throws -> [PrivilegedAccessSchedule] {
        let now = endpoint.issuer.clock.now()
        var schedules = try await service.liveSchedules(tenantID: call.tenantID, kind: kind)
        if instancesOnly { schedules = schedules.filter { $0.isActive(at: now) } }
        if call.caller.privilegedAccessCaller.isAdministrator { return schedules }
        let groups = Set(try await endpoint.issuer.directory.transitiveGroups(tenantID: call.tenantID, memberID: call.caller.objectID))
        return schedules.filter { $0.principalID == call.caller.objectID || groups.contains($0.principalID) }
    }

    private func approval(_ call: GraphCall, id: String) async throws -> (PrivilegedAccessRequest, Bool) {
        guard let request = try await service.request(tenantID: call.tenantID, id: id), request.kind == .assignment,
              request.status == .pendingApproval || request.review != nil else { throw GraphError.notFound }
        let mine = try await service.isApprover(call.caller.objectID, of: request)
        guard mine || call.caller.privilegedAccessCaller.isAdministrator || request.principalID == call.caller.objectID else {
            throw GraphError.notFound
        }
        return (request, mine)
    }

    /// `filterByCurrentUser(on='principal')` as a path segment (quotes percent-encoded or not):
    /// the `on` value, or nil for any other segment.
    static func filterByCurrentUser(_ segment: String) throws -> String? {
        guard segment.hasPrefix("filterByCurrentUser(") else { return nil }
        guard segment.hasSuffix(")"), let equals = segment.firstIndex(of: "=") else {
            throw GraphError.badRequest("Use filterByCurrentUser(on='principal').")
        }
        let value = segment[segment.index(after: equals)..<segment.index(before: segment.endIndex)]
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
    }
}
