import Foundation
import IdentityCore
import IdentityTesting
import Testing

@Suite("SubjectAccessReview decisions (Azure RBAC for Kubernetes)")
struct ClusterAuthorizerTests {
    @Test func readerOnANamespaceReadsThereOnly() async throws {
        let harness = try await ClusterHarness.make()
        let alice = harness.users.alice
        let created = try await harness.admin.createRoleAssignment(role: "Azure Kubernetes Service RBAC Reader",
                                                                   assignee: alice.userPrincipalName, scope: harness.scope + "/namespaces/dev")
        let allowed = try await harness.authorize(alice, listPods(in: "dev"))
        #expect(allowed == .allowed(reason: "Access allowed by Azure RBAC Role Assignment \(created.assignment.id) of Role 7f6c6a51-bcf8-42ba-9220-52d62157d7db to user alice@contoso.test"))
        #expect(try await harness.authorize(alice, listPods(in: "prod"))
                == .denied(reason: "User does not have access to the resource in Azure. Update role assignment to allow access."))
        // A namespace assignment never reaches cluster-scoped resources or all-namespace lists.
        #expect(try await harness.authorize(alice, .resource(ResourceAccess(verb: "list", resource: "nodes"))).isDenied)
        #expect(try await harness.authorize(alice, .resource(ResourceAccess(verb: "list", resource: "pods"))).isDenied)
        #expect(try await harness.authorize(alice, .nonResource(path: "/healthz", verb: "get")).isDenied)
        // ... nor writes or secrets in its own namespace.
        #expect(try await harness.authorize(alice, .resource(ResourceAccess(verb: "create", resource: "pods", namespace: "dev"))).isDenied)
        #expect(try await harness.authorize(alice, .resource(ResourceAccess(verb: "get", resource: "secrets", namespace: "dev"))).isDenied)
    }

    @Test func clusterScopeCoversEveryNamespaceAndClusterResources() async throws {
        let harness = try await ClusterHarness.make()
        let bob = harness.users.bob
        _ = try await harness.admin.createRoleAssignment(role: "Azure Kubernetes Service RBAC Cluster Admin",
                                                         assignee: bob.objectID, scope: harness.scope)
        #expect(try await harness.authorize(bob, listPods(in: "prod")).isAllowed)
        #expect(try await harness.authorize(bob, .resource(ResourceAccess(verb: "list", resource: "nodes"))).isAllowed)
        #expect(try await harness.authorize(bob, .resource(ResourceAccess(verb: "delete", resource: "namespaces", name: "x"))).isAllowed)
    }

    @Test func groupAssignmentsReachTransitiveMembers() async throws {
        let harness = try await ClusterHarness.make()
        // alice is in `inner`, which is in `outer`: an assignment to `outer` reaches her.
        _ = try await harness.admin.createRoleAssignment(role: "Azure Kubernetes Service RBAC Writer",
                                                         assignee: harness.users.directory.outer.objectID,
                                                         scope: harness.scope + "/namespaces/team")
        let decision = try await harness.authorize(harness.users.alice,
                                                   .resource(ResourceAccess(verb: "create", group: "apps", resource: "deployments", namespace: "team")))
        #expect(decision.isAllowed)
        // Removing her from the group takes effect at once (membership comes from the directory).
        try await harness.admin.removeGroupMember(tenant: "contoso", groupID: harness.users.directory.inner.objectID,
                                                  memberID: harness.users.alice.objectID)
        #expect(try await harness.authorize(harness.users.alice, listPods(in: "team")).isDenied)
    }

    @Test func adminGroupMembersAreAllowedEverything() async throws {
        let harness = try await ClusterHarness.make()
        try await harness.admin.addGroupMember(tenant: "contoso", groupID: try await harness.adminGroupID(),
                                               memberID: harness.users.directory.outer.objectID)
        let decision = try await harness.authorize(harness.users.bob, .resource(ResourceAccess(verb: "delete", resource: "namespaces")))
        #expect(decision.isAllowed)
        #expect(decision.reason.contains("admin group"))
        // Also without Azure RBAC: the admin groups are the cluster's administrators.
        _ = try await harness.admin.updateCluster(tenant: "contoso", name: "dev", ClusterUpdate(azureRBAC: false))
        #expect(try await harness.authorize(harness.users.bob, listPods(in: "x")).isAllowed)
    }

    @Test func noOpinionForSystemUsersNonAADUsersAndWithoutAzureRBAC() async throws {
        let harness = try await ClusterHarness.make(azureRBAC: false)
        let authorizer = harness.test.issuer.clusterWebhooks.authorizer
        let cluster = try await harness.cluster()
        #expect(try await authorizer.authorize(KubernetesUser(username: "system:kube-scheduler"), listPods(in: "a"), on: cluster).isNoOpinion)
        #expect(try await authorizer.authorize(KubernetesUser(username: "system:serviceaccount:dev:x", uid: ObjectID.make()),
                                               listPods(in: "a"), on: cluster).isNoOpinion)
        #expect(try await authorizer.authorize(KubernetesUser(username: "someone", uid: "not-a-guid"), listPods(in: "a"), on: cluster).isNoOpinion)
        // Without Azure RBAC, assignments do not count: Kubernetes RBAC decides.
        _ = try await harness.admin.createRoleAssignment(role: "Azure Kubernetes Service RBAC Reader",
                                                         assignee: harness.users.alice.objectID, scope: harness.scope)
        #expect(try await harness.authorize(harness.users.alice, listPods(in: "a")).isNoOpinion)
    }

    @Test func servicePrincipalsByAppIDOrObjectIDAndTheUIDFallback() async throws {
        let harness = try await ClusterHarness.make()
        let pipeline = harness.users.directory.pipeline
        _ = try await harness.admin.createRoleAssignment(role: "Azure Kubernetes Service RBAC Writer",
                                                         assignee: pipeline.application.appID, scope: harness.scope + "/namespaces/ci")
        let oid = pipeline.servicePrincipal.objectID
        let authorizer = harness.test.issuer.clusterWebhooks.authorizer
        // kube-apiserver's own JWT authenticator sets uid (claimMappings.uid: oid) but no extra.oid.
        let viaUID = KubernetesUser(username: oid, uid: oid)
        #expect(try await authorizer.authorize(viaUID, .resource(ResourceAccess(verb: "create", resource: "configmaps", namespace: "ci")),
                                               on: try await harness.cluster()).isAllowed)
        #expect(try await authorizer.authorize(viaUID, listPods(in: "other"), on: try await harness.cluster()).isDenied)
    }

    @Test func deletingTheAssignmentOrTheClusterTakesAccessAway() async throws {
        let harness = try await ClusterHarness.make()
        let alice = harness.users.alice
        _ = try await harness.admin.createRoleAssignment(role: "Azure Kubernetes Service RBAC Reader", assignee: alice.objectID,
                                                         scope: harness.scope)
        #expect(try await harness.authorize(alice, listPods(in: "dev")).isAllowed)
        let deleted = try await harness.admin.deleteRoleAssignments(id: nil, tenant: nil, assignee: alice.userPrincipalName,
                                                                    role: "Azure Kubernetes Service RBAC Reader", scope: harness.scope)
        #expect(deleted.count == 1)
        #expect(try await harness.authorize(alice, listPods(in: "dev")).isDenied)
    }
}
