import Foundation
import Hummingbird
import IdentityCore
import OAuthProtocol

/// `/v1.0/groups`: security groups and their members (`members`, `transitiveMembers`,
/// `members/$ref` in both removal forms, `members@odata.bind` on create and PATCH).
struct GraphGroupRoutes {
    let endpoint: GraphEndpoint

    /// Graph's limit on references bound in one create or PATCH.
    static let maximumBoundReferences = 20

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/v1.0/groups") { request, context in
            await endpoint.handle(request, context, rule: .readGroups) { call in
                let groups = try await endpoint.issuer.store.listGroups(tenantID: call.tenantID)
                return .collection(groups.map(GraphObjects.group), context: "groups")
            }
        }
        router.post("/v1.0/groups") { request, context in
            await endpoint.handle(request, context, rule: .writeGroups) { call in
                try await create(call)
            }
        }
        router.get("/v1.0/groups/{id}") { request, context in
            await endpoint.handle(request, context, rule: .readGroups) { call in
                .entity(GraphObjects.group(try await call.objects.group(try call.parameter("id"))), context: "groups/$entity")
            }
        }
        router.patch("/v1.0/groups/{id}") { request, context in
            await endpoint.handle(request, context, rule: .writeGroups) { call in
                try await update(call)
            }
        }
        router.delete("/v1.0/groups/{id}") { request, context in
            await endpoint.handle(request, context, rule: .writeGroups) { call in
                let group = try await call.objects.group(try call.parameter("id"))
                try await call.administration.deleteGroup(tenant: call.tenantID, id: group.objectID)
                return .noContent
            }
        }
        router.get("/v1.0/groups/{id}/members") { request, context in
            await endpoint.handle(request, context, rule: .readGroups) { call in
                let group = try await call.objects.group(try call.parameter("id"))
                let edges = try await call.administration.listGroupMembers(tenant: call.tenantID, groupID: group.objectID)
                return .collection(try await call.objects.objects(edges.map(\.memberID)).map(GraphObjects.member),
                                   context: "directoryObjects")
            }
        }
        router.get("/v1.0/groups/{id}/transitiveMembers") { request, context in
            await endpoint.handle(request, context, rule: .readGroups) { call in
                let group = try await call.objects.group(try call.parameter("id"))
                return .collection(try await transitiveMembers(of: group, call).map(GraphObjects.member), context: "directoryObjects")
            }
        }
        router.get("/v1.0/groups/{id}/memberOf") { request, context in
            await endpoint.handle(request, context, rule: .readGroups) { call in
                let group = try await call.objects.group(try call.parameter("id"))
                let ids = try await call.administration.directGroups(tenant: call.tenantID, memberID: group.objectID)
                return .collection(try await call.objects.objects(ids).map(GraphObjects.member), context: "directoryObjects")
            }
        }
        router.get("/v1.0/groups/{id}/transitiveMemberOf") { request, context in
            await endpoint.handle(request, context, rule: .readGroups) { call in
                let group = try await call.objects.group(try call.parameter("id"))
                let ids = try await call.administration.transitiveGroups(tenant: call.tenantID, memberID: group.objectID)
                return .collection(try await call.objects.objects(ids).map(GraphObjects.member), context: "directoryObjects")
            }
        }
        router.post("/v1.0/groups/{id}/members/$ref") { request, context in
            await endpoint.handle(request, context, rule: .writeGroupMembers) { call in
                let group = try await call.objects.group(try call.parameter("id"))
                try await addMember(GraphCall.objectID(fromReference: try call.string("@odata.id")), to: group, call)
                return .noContent
            }
        }
        router.delete("/v1.0/groups/{id}/members/{memberId}/$ref") { request, context in
            await endpoint.handle(request, context, rule: .writeGroupMembers) { call in
                let group = try await call.objects.group(try call.parameter("id"))
                try await removeMember(try call.parameter("memberId"), from: group, call)
                return .noContent
            }
        }
        router.delete("/v1.0/groups/{id}/members/$ref") { request, context in
            await endpoint.handle(request, context, rule: .writeGroupMembers) { call in
                let group = try await call.objects.group(try call.parameter("id"))
                guard let reference = try GraphQueryString.value("@id", in: request) else {
                    throw GraphError.badRequest("Give the member as ?@id=<directoryObject URL> or DELETE …/members/{id}/$ref.")
                }
                try await removeMember(try GraphCall.objectID(fromReference: reference), from: group, call)
                return .noContent
            }
        }
    }

    private static let creatable: Set<String> = ["displayName", "mailNickname", "mailEnabled", "securityEnabled", "description",
                                                 "groupTypes", "members@odata.bind", "isAssignableToRole", "visibility"]

    private func create(_ call: GraphCall) async throws -> GraphReply {
        try call.rejectUnknownProperties(allowed: Self.creatable)
        for required in ["displayName", "mailNickname"] { _ = try call.string(required) }
        guard try call.optionalBool("securityEnabled") == true, try call.optionalBool("mailEnabled") == false else {
            throw GraphError.badRequest("kubeid has security groups only: set securityEnabled to true and mailEnabled to false.")
        }
        guard (try call.optionalStrings("groupTypes") ?? []).isEmpty else {
            throw GraphError.badRequest("Microsoft 365 (Unified) and dynamic groups are not supported: leave groupTypes empty.")
        }
        guard try call.optionalBool("isAssignableToRole") != true else {
            throw GraphError.badRequest("Role-assignable groups are not supported: directory roles are held by users.")
        }
        let references = try boundReferences(call)
        let group = try await call.administration.createGroup(
            tenant: call.tenantID, displayName: try call.string("displayName"), mailNickname: try call.string("mailNickname"),
            description: try call.optionalString("description"))
        for reference in references { try await addMember(reference, to: group, call) }
        return .entity(GraphObjects.group(group), context: "groups/$entity", status: 201)
    }

    private static let updatable: Set<String> = ["displayName", "mailNickname", "description", "members@odata.bind", "visibility"]

    private func update(_ call: GraphCall) async throws -> GraphReply {
        try call.rejectUnknownProperties(allowed: Self.updatable)
        let group = try await call.objects.group(try call.parameter("id"))
        let references = try boundReferences(call)
        if !references.isEmpty, !call.caller.isAllowed(.writeGroupMembers) {
            throw GraphError.forbidden("Insufficient privileges to complete the operation.")
        }
        let description: String?? = call.body["description"] != nil ? .some(try call.optionalString("description")) : nil
        _ = try await call.administration.updateGroup(tenant: call.tenantID, id: group.objectID,
                                                      displayName: try call.optionalString("displayName"),
                                                      description: description, mailNickname: try call.optionalString("mailNickname"))
        for reference in references { try await addMember(reference, to: group, call) }
        return .noContent
    }

    private func boundReferences(_ call: GraphCall) throws -> [String] {
        let references = try call.optionalStrings("members@odata.bind") ?? []
        guard references.count <= Self.maximumBoundReferences else {
            throw GraphError.badRequest("At most \(Self.maximumBoundReferences) members can be added in one request.")
        }
        return try references.map(GraphCall.objectID(fromReference:))
    }

    private func addMember(_ memberID: String, to group: Group, _ call: GraphCall) async throws {
        guard try await call.objects.object(memberID) != nil else {
            throw GraphError(status: 404, code: "Request_ResourceNotFound",
                             message: "Resource '\(memberID)' does not exist or one of its queried reference-property objects are not present.")
        }
        do {
            try await call.administration.addGroupMember(tenant: call.tenantID, groupID: group.objectID, memberID: memberID)
        } catch let error as AdministrationError where error.code == .alreadyExists {
            throw GraphError.duplicateMember
        }
    }

    private func removeMember(_ memberID: String, from group: Group, _ call: GraphCall) async throws {
        do {
            try await call.administration.removeGroupMember(tenant: call.tenantID, groupID: group.objectID, memberID: memberID)
        } catch let error as AdministrationError where error.code == .notFound {
            throw GraphError.notFound
        }
    }

    /// Every object below the group, each once, breadth first (nested groups included, as Graph lists them).
    private func transitiveMembers(of group: Group, _ call: GraphCall) async throws -> [DirectoryObjects.Object] {
        var seen: Set<String> = [group.objectID]
        var queue = [group.objectID]
        var ids: [String] = []
        let now = endpoint.issuer.clock.now()
        while !queue.isEmpty {
            let next = queue.removeFirst()
            for edge in try await endpoint.issuer.store.members(tenantID: call.tenantID, groupID: next)
            where edge.isActive(at: now) && seen.insert(edge.memberID).inserted {
                ids.append(edge.memberID)
                if edge.memberKind == .group { queue.append(edge.memberID) }
            }
        }
        return try await call.objects.objects(ids)
    }
}
