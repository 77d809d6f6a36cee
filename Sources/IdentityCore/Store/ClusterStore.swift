/// Registered Kubernetes clusters.
///
/// Cluster names are unique per tenant ignoring ASCII case and stored as given. Clusters are
/// directory data: every write changes ``DirectoryChangeFeed/directoryVersion()``.
public protocol ClusterStore: Sendable {
    /// Inserts a cluster. Throws `StoreError.alreadyExists` if the tenant has a cluster with the
    /// same object id, or the same name ignoring case.
    func createCluster(_ cluster: Cluster) async throws
    /// The cluster with this name (ignoring case) in this tenant, or nil.
    func cluster(tenantID: String, name: String) async throws -> Cluster?
    /// The cluster with this object id in this tenant, or nil.
    func cluster(tenantID: String, objectID: String) async throws -> Cluster?
    /// Every cluster of the tenant, ordered by name ignoring case, then object id.
    func listClusters(tenantID: String) async throws -> [Cluster]
    /// Reads the cluster, passes it to `change` and stores the result atomically (serialised
    /// against concurrent updates). `change` may run more than once and must only modify the
    /// value it is given; `tenantID`, `objectID`, `name` and `createdAt` cannot change (the
    /// stored ones are kept whatever `change` sets). If `change` throws, nothing is stored and
    /// its error is rethrown unchanged. Returns the stored value. Throws `StoreError.notFound`
    /// when there is no such cluster.
    @discardableResult
    func updateCluster(tenantID: String, objectID: String,
                       _ change: @Sendable (inout Cluster) throws -> Void) async throws -> Cluster
    /// Deletes the cluster and every role assignment scoped to it, atomically. Throws
    /// `StoreError.notFound` when there is no such cluster.
    func deleteCluster(tenantID: String, objectID: String) async throws
}

/// Role assignments at cluster and namespace scope.
///
/// Assignments are directory data: every write changes ``DirectoryChangeFeed/directoryVersion()``.
/// The store does not check that the principal exists or that the role is a known one; the
/// domain (``ClusterAdministration``) does.
public protocol RoleAssignmentStore: Sendable {
    /// Inserts an assignment. Throws `StoreError.notFound` when the tenant has no cluster with
    /// `clusterObjectID`, and `StoreError.alreadyExists` when the id is taken or the same
    /// principal already has the same role at the same scope (cluster and namespace).
    func createRoleAssignment(_ assignment: RoleAssignment) async throws
    /// The assignment with this id in this tenant, or nil.
    func roleAssignment(tenantID: String, id: String) async throws -> RoleAssignment?
    /// Every assignment of the tenant, ordered by `createdAt`, then id.
    func listRoleAssignments(tenantID: String) async throws -> [RoleAssignment]
    /// The assignments scoped to one cluster (at cluster scope or any of its namespaces),
    /// ordered by `createdAt`, then id.
    func listRoleAssignments(tenantID: String, clusterObjectID: String) async throws -> [RoleAssignment]
    /// Deletes one assignment. Throws `StoreError.notFound` when there is no such assignment.
    func deleteRoleAssignment(tenantID: String, id: String) async throws
}
