import Foundation

/// What a group gives on the registered clusters: it is a cluster's admin group
/// (`cluster-admin`), or it holds an Azure RBAC role assignment there, cluster-wide or on one
/// namespace. The `/pim` page shows this next to each group a person may activate, so they
/// know which cluster the activation opens.
public struct GroupClusterAccess: Sendable, Hashable {
    public var clusterName: String
    /// The role's name (`Azure Kubernetes Service RBAC Reader`), or `cluster-admin` for an admin group.
    public var role: String
    /// Nil: the whole cluster.
    public var namespace: String?
    /// True when the access comes from the cluster's admin groups rather than a role assignment.
    public var isAdminGroup: Bool

    public init(clusterName: String, role: String, namespace: String?, isAdminGroup: Bool) {
        self.clusterName = clusterName
        self.role = role
        self.namespace = namespace
        self.isAdminGroup = isAdminGroup
    }

    /// The access of each of `groupIDs` in the tenant, ordered by cluster name, admin group
    /// first; groups with none are absent. Reads the tenant's clusters and role assignments once.
    public static func lookup(in store: any ClusterStore & RoleAssignmentStore, tenantID: String,
                              groupIDs: Set<String>) async throws -> [String: [GroupClusterAccess]] {
        guard !groupIDs.isEmpty else { return [:] }
        let clusters = try await store.listClusters(tenantID: tenantID)
        let names = Dictionary(clusters.map { ($0.objectID, $0.name) }, uniquingKeysWith: { first, _ in first })
        var access: [String: [GroupClusterAccess]] = [:]
        for cluster in clusters {
            for groupID in cluster.aadProfile?.adminGroupObjectIDs ?? [] where groupIDs.contains(groupID) {
                access[groupID, default: []].append(
                    GroupClusterAccess(clusterName: cluster.name, role: "cluster-admin", namespace: nil, isAdminGroup: true))
            }
        }
        for assignment in try await store.listRoleAssignments(tenantID: tenantID)
        where groupIDs.contains(assignment.principalID) {
            guard let clusterName = names[assignment.clusterObjectID] else { continue }
            let role = RoleDefinition.builtIn(named: assignment.roleDefinitionID)?.name ?? assignment.roleDefinitionID
            access[assignment.principalID, default: []].append(
                GroupClusterAccess(clusterName: clusterName, role: role, namespace: assignment.namespace, isAdminGroup: false))
        }
        return access.mapValues { entries in
            entries.sorted {
                ($0.clusterName, $0.isAdminGroup ? 0 : 1, $0.namespace ?? "", $0.role)
                    < ($1.clusterName, $1.isAdminGroup ? 0 : 1, $1.namespace ?? "", $1.role)
            }
        }
    }
}
