import Foundation

/// The SubjectAccessReview decision for one cluster (docs/clusters.md, The webhooks), as AKS's
/// guard makes it with Azure RBAC:
///
/// 1. `system:` users (nodes, controllers, service accounts) → no opinion (Kubernetes RBAC decides).
/// 2. A subject without an AAD object id (`extra.oid`, else `uid`) → no opinion.
/// 3. A (transitive) member of one of the cluster's admin groups → allowed.
/// 4. Without Azure RBAC on the cluster → no opinion (Kubernetes RBAC decides; the generated
///    ClusterRoleBinding grants the admin groups `cluster-admin` there).
/// 5. A role assignment to the subject or to any group it belongs to transitively, at cluster
///    scope or at the request's namespace, whose role allows the request's ``DataAction`` →
///    allowed, naming the assignment.
/// 6. Otherwise → denied with Azure's message.
///
/// Group membership comes from the directory (not from the token), so removing someone from a
/// group takes effect at once, and groups beyond the overage limit count.
public struct ClusterAuthorizer: Sendable {
    public static let deniedReason = "User does not have access to the resource in Azure. Update role assignment to allow access."

    let directory: DirectoryView

    public init(directory: DirectoryView) {
        self.directory = directory
    }

    public enum Decision: Sendable, Equatable {
        case allowed(reason: String)
        case denied(reason: String)
        case noOpinion(reason: String)
    }

    public func authorize(_ user: KubernetesUser, _ access: KubernetesAccess, on cluster: Cluster) async throws -> Decision {
        if user.username.hasPrefix("system:") {
            return .noOpinion(reason: "kubeid does not authorize system: users")
        }
        guard let profile = cluster.aadProfile else { return .noOpinion(reason: "AAD is not enabled for this cluster") }
        guard let oid = user.objectID else { return .noOpinion(reason: "not an AAD user (no oid)") }
        let groups = Set(try await directory.transitiveGroups(tenantID: profile.tenantID, memberID: oid))
        if let adminGroup = profile.adminGroupObjectIDs.first(where: groups.contains) {
            return .allowed(reason: "Access allowed by AAD admin group \(adminGroup) of cluster \(cluster.name) to user \(user.username)")
        }
        guard profile.azureRBACEnabled else {
            return .noOpinion(reason: "Azure RBAC is not enabled for this cluster")
        }
        let action = DataAction.of(access)
        let principals = groups.union([oid])
        for assignment in try await directory.roleAssignments(tenantID: cluster.tenantID, clusterObjectID: cluster.objectID)
        where principals.contains(assignment.principalID) && assignment.covers(namespace: access.namespace) {
            guard let role = RoleDefinition.builtIn(named: assignment.roleDefinitionID), role.allows(action) else { continue }
            return .allowed(reason: "Access allowed by Azure RBAC Role Assignment \(assignment.id) of Role \(role.id) to user \(user.username)")
        }
        return .denied(reason: Self.deniedReason)
    }
}
