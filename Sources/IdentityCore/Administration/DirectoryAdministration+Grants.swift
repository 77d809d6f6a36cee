import Foundation
import OAuthProtocol

/// Microsoft Graph application permissions (app role assignments with admin consent) and
/// directory roles: what lets a pipeline or a person use the Graph admin API.
extension DirectoryAdministration {
    /// A granted permission with its catalogue entry.
    public struct PermissionGrant: Sendable {
        public var assignment: AppRoleAssignment
        public var permission: GraphPermission
    }

    /// A directory role held by a user.
    public struct RoleMembership: Sendable {
        public var assignment: DirectoryRoleAssignment
        public var role: DirectoryRole
        public var user: User
    }

    /// Grants Graph application permissions (by name or app role id) to the service principal
    /// whose app id or object id is `id`, admin consent included. Already-granted ones are kept
    /// as they are. Returns every Graph permission the principal then holds.
    public func grantPermissions(tenant idOrName: String, servicePrincipal id: String,
                                 permissions names: [String]) async throws -> [PermissionGrant] {
        let tenant = try await tenant(idOrName)
        let (_, principal) = try await requireServicePrincipal(tenantID: tenant.id, id: id)
        let permissions = try Self.graphPermissions(names)
        let graph = try await graphServicePrincipal(tenantID: tenant.id)
        let held = Set(try await store.appRoleAssignments(tenantID: tenant.id, principalID: principal.objectID)
            .filter { $0.resourceID == graph.objectID }.map(\.appRoleID))
        for permission in permissions where !held.contains(permission.appRoleID) {
            _ = try await createAppRoleAssignment(tenantID: tenant.id, principalID: principal.objectID, principalKind: .servicePrincipal,
                                                  resource: graph, appRoleID: permission.appRoleID)
        }
        return try await listPermissions(tenant: tenant.id, servicePrincipal: principal.objectID)
    }

    /// The Graph permissions the service principal holds, in catalogue order.
    public func listPermissions(tenant idOrName: String, servicePrincipal id: String) async throws -> [PermissionGrant] {
        let tenant = try await tenant(idOrName)
        let (_, principal) = try await requireServicePrincipal(tenantID: tenant.id, id: id)
        let graph = try await graphServicePrincipal(tenantID: tenant.id)
        let assignments = try await store.appRoleAssignments(tenantID: tenant.id, principalID: principal.objectID)
            .filter { $0.resourceID == graph.objectID }
        return GraphPermission.all.compactMap { permission in
            assignments.first { $0.appRoleID == permission.appRoleID }.map { PermissionGrant(assignment: $0, permission: permission) }
        }
    }

    /// Revokes Graph permissions. A permission the principal does not hold is an error, so a
    /// typo does not pass silently.
    public func revokePermissions(tenant idOrName: String, servicePrincipal id: String, permissions names: [String]) async throws {
        let tenant = try await tenant(idOrName)
        let (_, principal) = try await requireServicePrincipal(tenantID: tenant.id, id: id)
        let held = try await listPermissions(tenant: tenant.id, servicePrincipal: principal.objectID)
        for permission in try Self.graphPermissions(names) {
            guard let grant = held.first(where: { $0.permission == permission }) else {
                throw AdministrationError.notFound("'\(principal.displayName)' does not hold \(permission.name)")
            }
            try await deleteAppRoleAssignment(tenantID: tenant.id, id: grant.assignment.id)
        }
    }

    /// Graph's `POST /servicePrincipals/{id}/appRoleAssignments`: grants app role `appRoleID`
    /// of the resource service principal `resourceID` to `principalID`.
    public func createAppRoleAssignment(tenantID: String, principalID: String, principalKind: AppRoleAssignment.PrincipalKind,
                                        resource: ServicePrincipal, appRoleID: String) async throws -> AppRoleAssignment {
        guard resource.appID == WellKnownApplications.graphAppID,
              let permission = GraphPermission.named(appRoleID), permission.appRoleID == appRoleID.lowercased() else {
            throw AdministrationError(.invalidArgument, "Permission being assigned was not found on application", field: "appRoleId")
        }
        let assignment = AppRoleAssignment(id: ObjectID.make(), tenantID: tenantID, principalID: principalID,
                                           principalKind: principalKind, resourceID: resource.objectID,
                                           appRoleID: permission.appRoleID, createdAt: clock.now())
        do {
            try await store.createAppRoleAssignment(assignment)
        } catch let error as StoreError where error.code == .alreadyExists {
            throw AdministrationError(.alreadyExists, "Permission being assigned already exists on the object", field: "appRoleId")
        }
        await recordChange("application.permission-granted", tenantID: tenantID, subject: principalID,
                           details: ["permission": permission.name, "assignment": assignment.id])
        return assignment
    }

    public func deleteAppRoleAssignment(tenantID: String, id: String) async throws {
        guard let assignment = try await store.appRoleAssignment(tenantID: tenantID, id: id) else {
            throw AdministrationError.notFound("app role assignment '\(id)' not found")
        }
        try await store.deleteAppRoleAssignment(tenantID: tenantID, id: id)
        await recordChange("application.permission-revoked", tenantID: tenantID, subject: assignment.principalID,
                           details: ["permission": GraphPermission.named(assignment.appRoleID)?.name ?? assignment.appRoleID,
                                     "assignment": id])
    }

    /// Gives `member` (UPN or object id) a directory role. Holding it already is not an error.
    public func assignDirectoryRole(tenant idOrName: String, role name: String, member: String) async throws -> RoleMembership {
        let tenant = try await tenant(idOrName)
        let role = try Self.directoryRole(name)
        let user = try await requireUser(tenantID: tenant.id, id: member)
        if let existing = try await store.directoryRoleAssignments(tenantID: tenant.id, principalID: user.objectID)
            .first(where: { $0.roleTemplateID == role.templateID }) {
            return RoleMembership(assignment: existing, role: role, user: user)
        }
        let assignment = DirectoryRoleAssignment(id: ObjectID.make(), tenantID: tenant.id, roleTemplateID: role.templateID,
                                                 principalID: user.objectID, createdAt: clock.now())
        do {
            try await store.createDirectoryRoleAssignment(assignment)
        } catch let error as StoreError where error.code == .alreadyExists {
            // A concurrent assignment of the same role won: the user holds it either way.
            return try await assignDirectoryRole(tenant: tenant.id, role: name, member: member)
        }
        await recordChange("directory-role.assigned", tenantID: tenant.id, subject: user.objectID,
                           details: ["role": role.displayName])
        return RoleMembership(assignment: assignment, role: role, user: user)
    }

    /// Directory role holders, optionally of one role and/or one member.
    public func listDirectoryRoles(tenant idOrName: String, role name: String? = nil,
                                   member: String? = nil) async throws -> [RoleMembership] {
        let tenant = try await tenant(idOrName)
        let role = try name.map(Self.directoryRole)
        var memberID: String?
        if let member { memberID = try await requireUser(tenantID: tenant.id, id: member).objectID }
        var result: [RoleMembership] = []
        for assignment in try await store.listDirectoryRoleAssignments(tenantID: tenant.id) {
            guard role.map({ $0.templateID == assignment.roleTemplateID }) ?? true,
                  memberID.map({ $0 == assignment.principalID }) ?? true,
                  let known = DirectoryRole.named(assignment.roleTemplateID),
                  let user = try await store.user(tenantID: tenant.id, objectID: assignment.principalID) else { continue }
            result.append(RoleMembership(assignment: assignment, role: known, user: user))
        }
        return result
    }

    /// Takes a directory role away from `member`.
    public func removeDirectoryRole(tenant idOrName: String, role name: String, member: String) async throws {
        let tenant = try await tenant(idOrName)
        let role = try Self.directoryRole(name)
        let user = try await requireUser(tenantID: tenant.id, id: member)
        guard let assignment = try await store.directoryRoleAssignments(tenantID: tenant.id, principalID: user.objectID)
            .first(where: { $0.roleTemplateID == role.templateID }) else {
            throw AdministrationError.notFound("'\(user.userPrincipalName)' does not hold the role '\(role.displayName)'")
        }
        try await store.deleteDirectoryRoleAssignment(tenantID: tenant.id, id: assignment.id)
        await recordChange("directory-role.removed", tenantID: tenant.id, subject: user.objectID,
                           details: ["role": role.displayName])
    }

    // MARK: Private

    func graphServicePrincipal(tenantID: String) async throws -> ServicePrincipal {
        guard let graph = try await store.servicePrincipal(tenantID: tenantID, appID: WellKnownApplications.graphAppID) else {
            throw AdministrationError.notFound("the tenant has no Microsoft Graph service principal (start the server once to add it)")
        }
        return graph
    }

    static func graphPermissions(_ names: [String]) throws -> [GraphPermission] {
        guard !names.isEmpty else { throw AdministrationError(.invalidArgument, "name at least one permission", field: "permission") }
        return try names.map { name in
            guard let permission = GraphPermission.named(name) else {
                throw AdministrationError(.invalidArgument,
                                          "'\(name)' is not a Microsoft Graph permission kubeid knows; known: \(GraphPermission.all.map(\.name).joined(separator: ", "))",
                                          field: "permission")
            }
            return permission
        }
    }

    static func directoryRole(_ name: String) throws -> DirectoryRole {
        guard let role = DirectoryRole.named(name) else {
            throw AdministrationError(.invalidArgument,
                                      "'\(name)' is not a directory role kubeid knows; known: \(DirectoryRole.all.map(\.displayName).joined(separator: ", "))",
                                      field: "role")
        }
        return role
    }
}
