import Foundation

/// A role assignment with what it refers to, for printing.
public struct RoleAssignmentDetails: Sendable {
    public var assignment: RoleAssignment
    public var scope: ClusterScope
    public var role: RoleDefinition
    /// The principal's UPN, app id or group name, when it still exists.
    public var principalName: String?

    /// `<scope>/providers/Microsoft.Authorization/roleAssignments/<guid>`, as Azure prints it.
    public var resourceID: String {
        "\(scope.resourceID)/providers/Microsoft.Authorization/roleAssignments/\(assignment.id)"
    }
}

extension DirectoryAdministration {
    /// Grants `role` (name or id of a built-in role) to `assignee` (an object id, a UPN, or a
    /// service principal's app id) at `scope` (a cluster id or `<cluster id>/namespaces/<ns>`).
    public func createRoleAssignment(role: String, assignee: String, scope scopeText: String) async throws -> RoleAssignmentDetails {
        guard let definition = RoleDefinition.builtIn(named: role) else {
            throw AdministrationError.notFound("role '\(role)' not found; `kubeid role definition list` shows the roles")
        }
        let (scope, cluster) = try await resolveScope(scopeText)
        let principalTenant = cluster.aadProfile?.tenantID ?? cluster.tenantID
        let (principalID, principalType, principalName) = try await resolveAssignee(assignee, tenantID: principalTenant)
        let assignment = RoleAssignment(id: ObjectID.make(), tenantID: cluster.tenantID, roleDefinitionID: definition.id,
                                        principalID: principalID, principalType: principalType,
                                        clusterObjectID: cluster.objectID, namespace: scope.namespace, createdAt: clock.now())
        do {
            try await store.createRoleAssignment(assignment)
        } catch let error as StoreError where error.code == .alreadyExists {
            throw AdministrationError.alreadyExists("'\(assignee)' already has role '\(definition.name)' at scope '\(scope.resourceID)'")
        } catch let error as StoreError where error.code == .notFound {
            throw AdministrationError.notFound("cluster '\(scope.clusterName)' not found")
        }
        await recordChange("roleassignment.created", tenantID: cluster.tenantID, subject: principalID,
                           details: ["role": definition.name, "scope": scope.resourceID, "assignment": assignment.id])
        return RoleAssignmentDetails(assignment: assignment, scope: scope, role: definition, principalName: principalName)
    }

    /// Assignments at `scope` (a cluster id: every assignment of the cluster, namespaces
    /// included; a namespace scope: that namespace's), or every assignment of the tenant; only
    /// those of `assignee` when given.
    public func listRoleAssignments(tenant idOrName: String?, scope scopeText: String?, assignee: String? = nil) async throws -> [RoleAssignmentDetails] {
        var assignments: [RoleAssignment]
        var clusters: [String: Cluster] = [:]
        var principalTenant: String
        if let scopeText {
            let (scope, cluster) = try await resolveScope(scopeText)
            clusters[cluster.objectID] = cluster
            principalTenant = cluster.aadProfile?.tenantID ?? cluster.tenantID
            assignments = try await store.listRoleAssignments(tenantID: cluster.tenantID, clusterObjectID: cluster.objectID)
            if let namespace = scope.namespace { assignments = assignments.filter { $0.namespace == namespace } }
        } else if let idOrName {
            let tenant = try await tenant(idOrName)
            principalTenant = tenant.id
            assignments = try await store.listRoleAssignments(tenantID: tenant.id)
            for cluster in try await store.listClusters(tenantID: tenant.id) { clusters[cluster.objectID] = cluster }
        } else {
            throw AdministrationError.invalidArgument("give \(field: "scope") or \(field: "tenant")")
        }
        if let assignee {
            let (principalID, _, _) = try await resolveAssignee(assignee, tenantID: principalTenant)
            assignments = assignments.filter { $0.principalID == principalID }
        }
        var result: [RoleAssignmentDetails] = []
        for assignment in assignments {
            guard let cluster = clusters[assignment.clusterObjectID] else { continue }
            let aadTenant = cluster.aadProfile?.tenantID ?? cluster.tenantID
            result.append(RoleAssignmentDetails(
                assignment: assignment,
                scope: ClusterScope(tenantID: cluster.tenantID, clusterName: cluster.name, namespace: assignment.namespace),
                role: RoleDefinition.builtIn(named: assignment.roleDefinitionID)
                    ?? RoleDefinition(id: assignment.roleDefinitionID, name: assignment.roleDefinitionID, description: "", dataActions: []),
                principalName: try await principalName(assignment.principalID, type: assignment.principalType, tenantID: aadTenant)))
        }
        return result
    }

    /// Deletes assignments: the one named by `id` (its GUID or full resource id), or those of
    /// `assignee` at `scope` (with `role` when given). Returns what was deleted.
    public func deleteRoleAssignments(id: String?, tenant idOrName: String?, assignee: String?, role: String?,
                                      scope: String?) async throws -> [RoleAssignmentDetails] {
        var targets: [RoleAssignmentDetails]
        if let id {
            let guid = String(id.split(separator: "/").last ?? Substring(id))
            guard let canonical = ObjectID.canonical(guid) else {
                throw AdministrationError.invalidArgument("\(field: "ids") '\(id)' is not a role assignment id")
            }
            var tenantHint = idOrName
            if tenantHint == nil, let scopeStart = id.range(of: "/providers/") {
                tenantHint = ClusterScope.parse(String(id[..<scopeStart.lowerBound]))?.tenantID
            }
            guard let tenantHint else {
                throw AdministrationError.invalidArgument("give the full assignment id or \(field: "tenant") with \(field: "ids")")
            }
            targets = try await listRoleAssignments(tenant: tenantHint, scope: nil).filter { $0.assignment.id == canonical }
            guard !targets.isEmpty else { throw AdministrationError.notFound("role assignment '\(id)' not found") }
        } else {
            guard let assignee, scope != nil || idOrName != nil else {
                throw AdministrationError.invalidArgument("give \(field: "ids"), or \(field: "assignee") with \(field: "scope") (and optionally \(field: "role"))")
            }
            targets = try await listRoleAssignments(tenant: idOrName, scope: scope, assignee: assignee)
            if let role {
                guard let definition = RoleDefinition.builtIn(named: role) else {
                    throw AdministrationError.notFound("role '\(role)' not found")
                }
                targets = targets.filter { $0.assignment.roleDefinitionID == definition.id }
            }
            guard !targets.isEmpty else { throw AdministrationError.notFound("no matching role assignment found") }
        }
        for target in targets {
            do {
                try await store.deleteRoleAssignment(tenantID: target.assignment.tenantID, id: target.assignment.id)
            } catch let error as StoreError where error.code == .notFound {
                continue
            }
            await recordChange("roleassignment.deleted", tenantID: target.assignment.tenantID,
                               subject: target.assignment.principalID,
                               details: ["role": target.role.name, "scope": target.scope.resourceID, "assignment": target.assignment.id])
        }
        return targets
    }

    // MARK: Helpers

    private func resolveScope(_ text: String) async throws -> (ClusterScope, Cluster) {
        guard let scope = ClusterScope.parse(text) else {
            throw AdministrationError.invalidArgument("\(field: "scope") '\(text)' is not a cluster id (/tenants/<tid>/clusters/<name>) or a namespace of one (<cluster id>/namespaces/<ns>)")
        }
        guard try await store.tenant(id: scope.tenantID) != nil,
              let cluster = try await store.cluster(tenantID: scope.tenantID, name: scope.clusterName) else {
            throw AdministrationError.notFound("cluster '\(ClusterScope.clusterResourceID(tenantID: scope.tenantID, name: scope.clusterName))' not found")
        }
        return (ClusterScope(tenantID: cluster.tenantID, clusterName: cluster.name, namespace: scope.namespace), cluster)
    }

    /// An object id (user, group, service principal), a service principal's app id, or a UPN.
    private func resolveAssignee(_ assignee: String, tenantID: String) async throws -> (String, RoleAssignment.PrincipalType, String?) {
        let text = assignee.trimmingCharacters(in: .whitespaces)
        if let id = ObjectID.canonical(text) {
            if let user = try await store.user(tenantID: tenantID, objectID: id) { return (id, .user, user.userPrincipalName) }
            if let group = try await store.group(tenantID: tenantID, objectID: id) { return (id, .group, group.displayName) }
            if let principal = try await store.servicePrincipal(tenantID: tenantID, objectID: id) {
                return (id, .servicePrincipal, principal.appID)
            }
            if let principal = try await store.servicePrincipal(tenantID: tenantID, appID: id) {
                return (principal.objectID, .servicePrincipal, principal.appID)
            }
        } else if let user = try await store.user(tenantID: tenantID, userPrincipalName: text) {
            return (user.objectID, .user, user.userPrincipalName)
        }
        throw AdministrationError.notFound("\(field: "assignee") '\(assignee)': no user, group or service principal with that object id, UPN or app id in the cluster's AAD tenant")
    }

    private func principalName(_ id: String, type: RoleAssignment.PrincipalType, tenantID: String) async throws -> String? {
        switch type {
        case .user: return try await store.user(tenantID: tenantID, objectID: id)?.userPrincipalName
        case .group: return try await store.group(tenantID: tenantID, objectID: id)?.displayName
        case .servicePrincipal: return try await store.servicePrincipal(tenantID: tenantID, objectID: id)?.appID
        }
    }
}
