import Foundation

/// A role granted to a principal (user, group or service principal) at a cluster or at one of
/// its namespaces. Group assignments reach every transitive member.
public struct RoleAssignment: Sendable, Hashable {
    public enum PrincipalType: String, Sendable, Hashable, CaseIterable {
        case user = "User"
        case group = "Group"
        case servicePrincipal = "ServicePrincipal"
    }

    /// GUID (`name` in `az role assignment` output).
    public var id: String
    public var tenantID: String
    /// The built-in ``RoleDefinition`` id.
    public var roleDefinitionID: String
    /// Object id of the user, group or service principal.
    public var principalID: String
    public var principalType: PrincipalType
    /// ``Cluster/objectID`` of the cluster in scope.
    public var clusterObjectID: String
    /// Nil: the whole cluster (every namespace and cluster-scoped resources); otherwise only
    /// requests in this namespace.
    public var namespace: String?
    public var createdAt: Date

    public init(id: String, tenantID: String, roleDefinitionID: String, principalID: String, principalType: PrincipalType,
                clusterObjectID: String, namespace: String?, createdAt: Date) {
        self.id = id
        self.tenantID = tenantID
        self.roleDefinitionID = roleDefinitionID
        self.principalID = principalID
        self.principalType = principalType
        self.clusterObjectID = clusterObjectID
        self.namespace = namespace
        self.createdAt = createdAt
    }

    /// Whether this assignment's scope covers a request in `namespace` (nil: a cluster-scoped
    /// or non-resource request). A namespace assignment never covers cluster-scoped requests.
    public func covers(namespace requested: String?) -> Bool {
        guard let namespace else { return true }
        return namespace == requested
    }
}
