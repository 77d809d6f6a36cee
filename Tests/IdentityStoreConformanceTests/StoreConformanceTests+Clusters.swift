import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func clustersCreateGetAndList(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            // Code-point order would put "Zeta" before "alpha"; the contract ignores case.
            let zeta = Fixtures.cluster(name: "Zeta")
            let alpha = Fixtures.cluster(name: "alpha", aad: false)
            let elsewhere = Fixtures.cluster(tenantID: Fixtures.otherTenantID, name: "alpha")
            for cluster in [zeta, alpha, elsewhere] { try await store.createCluster(cluster) }

            #expect(try await store.cluster(tenantID: Fixtures.tenantID, name: "zeta") == zeta)
            #expect(try await store.cluster(tenantID: Fixtures.tenantID, name: "ZETA") == zeta)
            #expect(try await store.cluster(tenantID: Fixtures.tenantID, objectID: alpha.objectID) == alpha)
            #expect(try await store.cluster(tenantID: Fixtures.otherTenantID, name: "Alpha") == elsewhere)
            #expect(try await store.cluster(tenantID: Fixtures.tenantID, name: "missing") == nil)
            #expect(try await store.cluster(tenantID: Fixtures.otherTenantID, objectID: alpha.objectID) == nil)
            #expect(try await store.listClusters(tenantID: Fixtures.tenantID) == [alpha, zeta])
            #expect(try await store.listClusters(tenantID: Fixtures.otherTenantID) == [elsewhere])
            // Every field round-trips, the AAD profile and the hash included.
            let stored = try #require(try await store.cluster(tenantID: Fixtures.tenantID, name: "Zeta"))
            #expect(stored.aadProfile == AADProfile(adminGroupObjectIDs: ["g-admins", "g-ops"], tenantID: Fixtures.tenantID,
                                                    azureRBACEnabled: true))
            #expect(stored.webhookTokenHash == [0x00, 0x01, 0xfe, 0xff])
            #expect(alpha.aadProfile == nil && alpha.webhookTokenHash == nil && alpha.certificateAuthorityPEM == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func clusterNameAndObjectIDAreUnique(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let prod = Fixtures.cluster(name: "prod")
            try await store.createCluster(prod)
            await #expect(throws: StoreError.alreadyExists) { try await store.createCluster(Fixtures.cluster(name: "PROD")) }
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createCluster(Fixtures.cluster(objectID: prod.objectID, name: "other"))
            }
            try await store.createCluster(Fixtures.cluster(tenantID: Fixtures.otherTenantID, name: "prod"))
            #expect(try await store.listClusters(tenantID: Fixtures.tenantID) == [prod])
        }
    }

    @Test(arguments: StoreBackend.available)
    func updateClusterAppliesOrAbortsAtomically(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let prod = Fixtures.cluster(name: "prod", aad: false)
            try await store.createCluster(prod)
            let later = Fixtures.date(60)
            let updated = try await store.updateCluster(tenantID: Fixtures.tenantID, objectID: prod.objectID) { cluster in
                cluster.aadProfile = AADProfile(adminGroupObjectIDs: ["g1"], tenantID: Fixtures.otherTenantID, azureRBACEnabled: false)
                cluster.localAccountsDisabled = true
                cluster.webhookTokenHash = [9, 9, 9]
                cluster.localAccountCA.privateKeyPEM = "rotated"
                cluster.audience = "api://prod"
                cluster.updatedAt = later
                cluster.name = "renamed"            // ignored: the identity cannot change
                cluster.objectID = "other"
                cluster.createdAt = later
            }
            var expected = prod
            expected.aadProfile = AADProfile(adminGroupObjectIDs: ["g1"], tenantID: Fixtures.otherTenantID, azureRBACEnabled: false)
            expected.localAccountsDisabled = true
            expected.webhookTokenHash = [9, 9, 9]
            expected.localAccountCA.privateKeyPEM = "rotated"
            expected.audience = "api://prod"
            expected.updatedAt = later
            #expect(updated == expected)
            #expect(try await store.cluster(tenantID: Fixtures.tenantID, objectID: prod.objectID) == expected)

            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await store.updateCluster(tenantID: Fixtures.tenantID, objectID: prod.objectID) { cluster in
                    cluster.server = "https://changed.test"
                    throw Refused()
                }
            }
            #expect(try await store.cluster(tenantID: Fixtures.tenantID, objectID: prod.objectID) == expected)
            await #expect(throws: StoreError.notFound) {
                try await store.updateCluster(tenantID: Fixtures.tenantID, objectID: "missing") { _ in }
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func concurrentClusterUpdatesSerialise(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let prod = Fixtures.cluster(name: "prod")
            try await store.createCluster(prod)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await store.updateCluster(tenantID: Fixtures.tenantID, objectID: prod.objectID) { cluster in
                            cluster.aadProfile?.adminGroupObjectIDs.append("g\(index)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let groups = try #require(try await store.cluster(tenantID: Fixtures.tenantID, objectID: prod.objectID)?.aadProfile)
            #expect(groups.adminGroupObjectIDs.count == 22, "no update was lost")
        }
    }

    @Test(arguments: StoreBackend.available)
    func roleAssignmentsCreateListAndDelete(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let prod = Fixtures.cluster(name: "prod")
            let dev = Fixtures.cluster(name: "dev")
            for cluster in [prod, dev] { try await store.createCluster(cluster) }
            let first = Fixtures.roleAssignment(id: "b-1", cluster: prod, createdAt: Fixtures.date(1))
            let second = Fixtures.roleAssignment(id: "a-2", cluster: prod, principalID: "p2", namespace: "dev",
                                                 createdAt: Fixtures.date(1))
            let third = Fixtures.roleAssignment(id: "c-3", cluster: dev, role: RoleDefinition.aksRBACWriter.id,
                                                createdAt: Fixtures.date(0))
            for assignment in [first, second, third] { try await store.createRoleAssignment(assignment) }

            #expect(try await store.roleAssignment(tenantID: Fixtures.tenantID, id: "a-2") == second)
            #expect(try await store.roleAssignment(tenantID: Fixtures.otherTenantID, id: "a-2") == nil)
            #expect(try await store.listRoleAssignments(tenantID: Fixtures.tenantID) == [third, second, first])
            #expect(try await store.listRoleAssignments(tenantID: Fixtures.tenantID, clusterObjectID: prod.objectID) == [second, first])
            #expect(second.namespace == "dev" && first.namespace == nil)

            try await store.deleteRoleAssignment(tenantID: Fixtures.tenantID, id: "b-1")
            #expect(try await store.listRoleAssignments(tenantID: Fixtures.tenantID, clusterObjectID: prod.objectID) == [second])
            await #expect(throws: StoreError.notFound) { try await store.deleteRoleAssignment(tenantID: Fixtures.tenantID, id: "b-1") }
        }
    }

    @Test(arguments: StoreBackend.available)
    func roleAssignmentRules(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let prod = Fixtures.cluster(name: "prod")
            try await store.createCluster(prod)
            let assignment = Fixtures.roleAssignment(id: "r1", cluster: prod, namespace: "dev")
            try await store.createRoleAssignment(assignment)
            // Same id; same principal, role and scope.
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createRoleAssignment(Fixtures.roleAssignment(id: "r1", cluster: prod, principalID: "other"))
            }
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createRoleAssignment(Fixtures.roleAssignment(cluster: prod, namespace: "dev"))
            }
            // Another namespace, the cluster scope or another role are other assignments.
            try await store.createRoleAssignment(Fixtures.roleAssignment(cluster: prod, namespace: "prod"))
            try await store.createRoleAssignment(Fixtures.roleAssignment(cluster: prod))
            try await store.createRoleAssignment(Fixtures.roleAssignment(cluster: prod, role: RoleDefinition.aksRBACAdmin.id,
                                                                         namespace: "dev"))
            // The cluster must exist (in this tenant).
            await #expect(throws: StoreError.notFound) {
                try await store.createRoleAssignment(Fixtures.roleAssignment(cluster: Fixtures.cluster(name: "ghost")))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.createRoleAssignment(Fixtures.roleAssignment(tenantID: Fixtures.otherTenantID, cluster: prod))
            }
            #expect(try await store.listRoleAssignments(tenantID: Fixtures.tenantID).count == 4)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deletingAClusterDeletesItsAssignments(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let prod = Fixtures.cluster(name: "prod")
            let dev = Fixtures.cluster(name: "dev")
            for cluster in [prod, dev] { try await store.createCluster(cluster) }
            try await store.createRoleAssignment(Fixtures.roleAssignment(cluster: prod))
            try await store.createRoleAssignment(Fixtures.roleAssignment(cluster: prod, namespace: "dev"))
            let kept = Fixtures.roleAssignment(cluster: dev)
            try await store.createRoleAssignment(kept)

            try await store.deleteCluster(tenantID: Fixtures.tenantID, objectID: prod.objectID)
            #expect(try await store.cluster(tenantID: Fixtures.tenantID, name: "prod") == nil)
            #expect(try await store.listRoleAssignments(tenantID: Fixtures.tenantID) == [kept])
            await #expect(throws: StoreError.notFound) { try await store.deleteCluster(tenantID: Fixtures.tenantID, objectID: prod.objectID) }
            // A new cluster of the same name starts without the old assignments.
            let again = Fixtures.cluster(name: "prod")
            try await store.createCluster(again)
            #expect(try await store.listRoleAssignments(tenantID: Fixtures.tenantID, clusterObjectID: again.objectID).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func clusterAndAssignmentWritesMoveDirectoryVersion(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            var seen: Set<Int64> = [try await store.directoryVersion()]
            func expectNewVersion(after write: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                #expect(seen.insert(try await store.directoryVersion()).inserted, "directoryVersion did not change after \(write)",
                        sourceLocation: sourceLocation)
            }
            let prod = Fixtures.cluster(name: "prod")
            try await store.createCluster(prod)
            try await expectNewVersion(after: "createCluster")
            try await store.updateCluster(tenantID: Fixtures.tenantID, objectID: prod.objectID) { $0.localAccountsDisabled = true }
            try await expectNewVersion(after: "updateCluster")
            try await store.createRoleAssignment(Fixtures.roleAssignment(id: "r", cluster: prod))
            try await expectNewVersion(after: "createRoleAssignment")
            try await store.deleteRoleAssignment(tenantID: Fixtures.tenantID, id: "r")
            try await expectNewVersion(after: "deleteRoleAssignment")
            try await store.deleteCluster(tenantID: Fixtures.tenantID, objectID: prod.objectID)
            try await expectNewVersion(after: "deleteCluster")
        }
    }
}
