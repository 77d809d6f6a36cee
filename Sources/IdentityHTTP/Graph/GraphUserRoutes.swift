import Foundation
import Hummingbird
import IdentityCore
import OAuthProtocol

/// `/v1.0/users`: list, create, get (by id or UPN), PATCH, DELETE, group memberships,
/// `checkMemberGroups`, `revokeSignInSessions`, and `/v1.0/me` for delegated callers.
struct GraphUserRoutes {
    let endpoint: GraphEndpoint

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/v1.0/users") { request, context in
            await endpoint.handle(request, context, rule: .readUsers) { call in
                let users = try await call.administration.listUsers(tenant: call.tenantID)
                return .collection(users.map(GraphObjects.user), context: "users")
            }
        }
        router.post("/v1.0/users") { request, context in
            await endpoint.handle(request, context, rule: .writeUsers) { call in
                try await create(call)
            }
        }
        router.get("/v1.0/me") { request, context in
            await endpoint.handle(request, context, rule: .readSelf) { call in
                guard !call.caller.isApplication else {
                    throw GraphError.badRequest("/me request is only valid with delegated authentication flow.")
                }
                return .entity(GraphObjects.user(try await call.objects.user(call.caller.objectID)), context: "users/$entity")
            }
        }
        router.get("/v1.0/users/{id}") { request, context in
            await endpoint.handle(request, context, rule: .readUsers) { call in
                .entity(GraphObjects.user(try await call.objects.user(try call.parameter("id"))), context: "users/$entity")
            }
        }
        router.patch("/v1.0/users/{id}") { request, context in
            await endpoint.handle(request, context, rule: .writeUsers) { call in
                try await update(call)
            }
        }
        router.delete("/v1.0/users/{id}") { request, context in
            await endpoint.handle(request, context, rule: .writeUsers) { call in
                let user = try await call.objects.user(try call.parameter("id"))
                try await requireMayManage(user, call)
                try await call.administration.deleteUser(tenant: call.tenantID, id: user.objectID)
                return .noContent
            }
        }
        router.get("/v1.0/users/{id}/memberOf") { request, context in
            await endpoint.handle(request, context, rule: .readUsers) { call in
                let user = try await call.objects.user(try call.parameter("id"))
                let ids = try await call.administration.directGroups(tenant: call.tenantID, memberID: user.objectID)
                return .collection(try await call.objects.objects(ids).map(GraphObjects.member), context: "directoryObjects")
            }
        }
        router.get("/v1.0/users/{id}/transitiveMemberOf") { request, context in
            await endpoint.handle(request, context, rule: .readUsers) { call in
                let user = try await call.objects.user(try call.parameter("id"))
                let ids = try await call.administration.transitiveGroups(tenant: call.tenantID, memberID: user.objectID)
                return .collection(try await call.objects.objects(ids).map(GraphObjects.member), context: "directoryObjects")
            }
        }
        router.post("/v1.0/users/{id}/checkMemberGroups") { request, context in
            await endpoint.handle(request, context, rule: .readMemberships) { call in
                let user = try await call.objects.user(try call.parameter("id"))
                let asked = try call.optionalStrings("groupIds") ?? []
                guard asked.count <= 20 else { throw GraphError.badRequest("groupIds may hold at most 20 ids.") }
                let groups = Set(try await call.administration.transitiveGroups(tenant: call.tenantID, memberID: user.objectID))
                let held = asked.compactMap(ObjectID.canonical).filter(groups.contains)
                return .value(.object([("@odata.context", .string("\(endpoint.baseURL)/v1.0/$metadata#Collection(Edm.String)")),
                                       ("value", .strings(held))]))
            }
        }
        router.post("/v1.0/users/{id}/revokeSignInSessions") { request, context in
            await endpoint.handle(request, context, rule: .writeUsers) { call in
                let user = try await call.objects.user(try call.parameter("id"))
                try await requireMayManage(user, call)
                _ = try await call.administration.revokeSignInSessions(tenant: call.tenantID, id: user.objectID)
                return .value(.object([("@odata.context", .string("\(endpoint.baseURL)/v1.0/$metadata#Edm.Boolean")),
                                       ("value", .bool(true))]))
            }
        }
    }

    private static let creatable: Set<String> = [
        "accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile", "givenName", "surname",
        "usageLocation", "passwordPolicies",
    ]

    private func create(_ call: GraphCall) async throws -> GraphReply {
        try call.rejectUnknownProperties(allowed: Self.creatable)
        for required in ["displayName", "mailNickname", "userPrincipalName"] { _ = try call.string(required) }
        guard try call.optionalBool("accountEnabled") != nil else {
            throw GraphError.badRequest("Property 'accountEnabled' is required.")
        }
        guard let profile = try call.optionalObject("passwordProfile"), case .string(let password)? = profile["password"] else {
            throw GraphError.badRequest("Property 'passwordProfile' with a 'password' is required.")
        }
        var user = try await call.administration.createUser(
            tenant: call.tenantID, userPrincipalName: try call.string("userPrincipalName"),
            displayName: try call.string("displayName"), givenName: try call.optionalString("givenName"),
            familyName: try call.optionalString("surname"), password: password)
        if try call.optionalBool("accountEnabled") == false {
            user = try await call.administration.setUserEnabled(tenant: call.tenantID, id: user.objectID, enabled: false)
        }
        return .entity(GraphObjects.user(user), context: "users/$entity", status: 201)
    }

    private static let updatable: Set<String> = ["accountEnabled", "displayName", "givenName", "surname", "passwordProfile",
                                                 "mailNickname", "usageLocation", "passwordPolicies"]

    private func update(_ call: GraphCall) async throws -> GraphReply {
        try call.rejectUnknownProperties(allowed: Self.updatable)
        let user = try await call.objects.user(try call.parameter("id"))
        try await requireMayManage(user, call)
        var password: String?
        if let profile = try call.optionalObject("passwordProfile") {
            guard case .string(let text)? = profile["password"] else {
                throw GraphError.badRequest("passwordProfile needs a 'password'.")
            }
            password = text
        }
        var changes = UserChanges(displayName: try call.optionalString("displayName"),
                                  accountEnabled: try call.optionalBool("accountEnabled"), password: password)
        if call.body["givenName"] != nil { changes.givenName = .some(try call.optionalString("givenName")) }
        if call.body["surname"] != nil { changes.familyName = .some(try call.optionalString("surname")) }
        _ = try await call.administration.updateUser(tenant: call.tenantID, id: user.objectID, changes: changes)
        return .noContent
    }

    /// A user holding a directory role is changed only by a Global Administrator, or an app
    /// with `RoleManagement.ReadWrite.Directory` (Entra's rule: a User Administrator cannot
    /// reset an administrator's password and take over the role).
    private func requireMayManage(_ user: User, _ call: GraphCall) async throws {
        let roles = try await endpoint.issuer.permissions.directoryRoleTemplateIDs(tenantID: call.tenantID, userObjectID: user.objectID)
        guard !roles.isEmpty else { return }
        let allowed = call.caller.isGlobalAdministrator
            || (call.caller.isApplication && call.caller.isAllowed(GraphAccessRule([.roleManagementReadWriteDirectory], roles: nil)))
        guard allowed else {
            throw GraphError.forbidden("Insufficient privileges to complete the operation: the user holds an administrator role.")
        }
    }
}
