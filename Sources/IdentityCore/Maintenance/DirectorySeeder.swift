import Foundation

/// Fills a new tenant with a generated directory of a chosen size, for measuring how kubeid's
/// costs grow with the directory (`kubeid dev seed-directory`, `Benchmarks/directory-scale.sh`).
///
/// The shape: groups form chains `nestingDepth` long (each group a member of the one before
/// it), users are direct members of a chain's last group, so every user is in `nestingDepth`
/// groups; one *probe* user is a direct member of enough chains to be in `probeGroups` groups.
/// Clusters use Azure RBAC; role assignments give groups Reader on a namespace of a cluster,
/// and one of them lets the probe user `get pods` in namespace `dev` of the first cluster.
///
/// Users, groups and memberships go straight to the store (each user would otherwise cost a
/// password hash: all seeded users share one, printed once); clusters, role assignments and
/// service principals go through the administration service, checks and audit included.
public struct DirectorySeeder: Sendable {
    public struct Plan: Sendable, Equatable {
        public var users = 100_000
        public var groups = 10_000
        public var nestingDepth = 5
        public var probeGroups = 500
        public var clusters = 100
        public var roleAssignments = 10_000
        public var servicePrincipals = 1_000

        public init() {}

        /// The error names the first count that cannot be built.
        func check() throws {
            guard users >= 1, groups >= 1, clusters >= 1, nestingDepth >= 1, roleAssignments >= 1,
                  servicePrincipals >= 0, probeGroups >= 1 else {
                throw AdministrationError.invalidArgument("every count must be at least 1 (service principals at least 0)")
            }
            guard groups % nestingDepth == 0 else {
                throw AdministrationError.invalidArgument("\(field: "groups") (\(groups)) must be a multiple of \(field: "nestingDepth") (\(nestingDepth))")
            }
            guard probeGroups % nestingDepth == 0, probeGroups < groups else {
                throw AdministrationError.invalidArgument("\(field: "probeGroups") (\(probeGroups)) must be a multiple of \(field: "nestingDepth") and below \(field: "groups")")
            }
        }
    }

    public struct Result: Sendable {
        public var tenant: Tenant
        public var probeUser: User
        /// The one password every seeded user has.
        public var password: String
        public var probeCluster: Cluster
        public var probeNamespace: String
        public var counts: [(String, Int)]
        public var seconds: Double
    }

    let administration: DirectoryAdministration
    /// Store writes in flight at once (PostgreSQL takes them in parallel; SQLite queues them).
    let width: Int

    public init(administration: DirectoryAdministration, width: Int = 16) {
        self.administration = administration
        self.width = max(1, width)
    }

    public func seed(tenantName: String, plan: Plan, password: String,
                     progress: @Sendable (String) -> Void = { _ in }) async throws -> Result {
        try plan.check()
        let started = ContinuousClock.now
        let store = administration.store
        let tenant = try await administration.createTenant(name: tenantName)
        let now = administration.clock.now()
        let domain = "\(tenant.name).example"

        let groupIDs = (0..<plan.groups).map { _ in ObjectID.make() }
        try await inParallel(0..<plan.groups) { index in
            try await store.createGroup(Group(tenantID: tenant.id, objectID: groupIDs[index], displayName: "group-\(index)",
                                              mailNickname: "group-\(index)", createdAt: now))
        }
        progress("groups: \(plan.groups)")
        let depth = plan.nestingDepth
        let chains = plan.groups / depth
        // Chain c is groups c*depth ..< (c+1)*depth; each is a member of the one before it.
        let nestedEdges = (0..<plan.groups).filter { $0 % depth != 0 }
        try await inParallel(nestedEdges) { index in
            try await store.addMember(GroupMembership(tenantID: tenant.id, groupID: groupIDs[index - 1],
                                                      memberID: groupIDs[index], memberKind: .group))
        }
        progress("nested group memberships: \(nestedEdges.count)")
        let leaf: @Sendable (_ chain: Int) -> String = { chain in groupIDs[chain * depth + depth - 1] }

        let passwordHash = try await administration.passwordHasher.hash(password)
        let probe = User(tenantID: tenant.id, objectID: ObjectID.make(), userPrincipalName: "probe@\(domain)",
                         displayName: "Probe User", passwordHash: passwordHash, createdAt: now, passwordChangedAt: now)
        try await store.createUser(probe)
        try await inParallel(0..<(plan.probeGroups / depth)) { chain in
            try await store.addMember(GroupMembership(tenantID: tenant.id, groupID: leaf(chain),
                                                      memberID: probe.objectID, memberKind: .user))
        }
        try await inParallel(1..<max(plan.users, 1)) { index in
            let user = User(tenantID: tenant.id, objectID: ObjectID.make(), userPrincipalName: "user-\(index)@\(domain)",
                            displayName: "User \(index)", passwordHash: passwordHash, createdAt: now, passwordChangedAt: now)
            try await store.createUser(user)
            try await store.addMember(GroupMembership(tenantID: tenant.id, groupID: leaf(index % chains),
                                                      memberID: user.objectID, memberKind: .user))
        }
        progress("users: \(plan.users)")

        var created: [Cluster] = []
        for index in 0..<plan.clusters {
            created.append(try await administration.createCluster(tenant: tenant.id, ClusterRegistration(
                name: "cluster-\(index)", server: "https://cluster-\(index).\(domain):6443", enableAAD: true,
                acknowledgeNoAdminGroups: true, enableAzureRBAC: true)))
        }
        let clusters = created
        progress("clusters: \(plan.clusters)")
        // The probe's grant is the last group of the last chain it is in: the deepest path.
        let probeGrantGroup = leaf(plan.probeGroups / depth - 1)
        _ = try await administration.createRoleAssignment(
            role: "Azure Kubernetes Service RBAC Reader", assignee: probeGrantGroup,
            scope: "\(clusters[0].resourceID)/namespaces/dev")
        let roleCount = plan.roleAssignments - 1
        try await inParallel(0..<roleCount) { index in
            // Groups the probe is not in, on namespaces other than the probe's.
            let group = groupIDs[plan.probeGroups + index % (plan.groups - plan.probeGroups)]
            let cluster = clusters[index % clusters.count]
            _ = try await administration.createRoleAssignment(
                role: index % 2 == 0 ? "Azure Kubernetes Service RBAC Reader" : "Azure Kubernetes Service RBAC Writer",
                assignee: group, scope: "\(cluster.resourceID)/namespaces/team-\(index / clusters.count)")
        }
        progress("role assignments: \(plan.roleAssignments)")
        try await inParallel(0..<plan.servicePrincipals) { index in
            _ = try await administration.createServicePrincipalForRBAC(tenant: tenant.id, name: "pipeline-\(index)",
                                                                       credential: .secret)
        }
        progress("service principals: \(plan.servicePrincipals)")

        let elapsed = started.duration(to: .now).components
        return Result(tenant: tenant, probeUser: probe, password: password, probeCluster: clusters[0], probeNamespace: "dev",
                      counts: [("users", plan.users), ("groups", plan.groups), ("nestedGroupMemberships", nestedEdges.count),
                               ("userGroupMemberships", plan.users - 1 + plan.probeGroups / depth),
                               ("probeUserGroups", plan.probeGroups), ("clusters", plan.clusters),
                               ("roleAssignments", plan.roleAssignments), ("servicePrincipals", plan.servicePrincipals)],
                      seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
    }

    /// Runs `work` for every element, `width` at a time.
    private func inParallel<S: Sequence & Sendable>(_ elements: S, _ work: @escaping @Sendable (S.Element) async throws -> Void)
        async throws where S.Element: Sendable {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for element in elements {
                if running == width {
                    try await group.next()
                    running -= 1
                }
                group.addTask { try await work(element) }
                running += 1
            }
            try await group.waitForAll()
        }
    }
}
