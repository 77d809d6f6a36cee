import IdentityCore
import IdentityTesting
import Testing

@Suite("Directory seeder")
struct DirectorySeederTests {
    static func smallPlan() -> DirectorySeeder.Plan {
        var plan = DirectorySeeder.Plan()
        plan.users = 60
        plan.groups = 40
        plan.nestingDepth = 4
        plan.probeGroups = 12
        plan.clusters = 3
        plan.roleAssignments = 30
        plan.servicePrincipals = 2
        return plan
    }

    @Test func theSeededDirectoryHasThePlannedShape() async throws {
        let test = try await TestIssuer.make()
        let result = try await DirectorySeeder(administration: test.administration)
            .seed(tenantName: "scale", plan: Self.smallPlan(), password: "Seeded-Password-1")
        let tenantID = result.tenant.id
        #expect(try await test.store.listUsers(tenantID: tenantID).count == 60)
        #expect(try await test.store.listGroups(tenantID: tenantID).count == 40)
        #expect(try await test.store.listClusters(tenantID: tenantID).count == 3)
        #expect(try await test.store.listRoleAssignments(tenantID: tenantID).count == 30)
        #expect(try await test.administration.listServicePrincipals(tenant: tenantID)
            .filter { $0.displayName.hasPrefix("pipeline-") }.count == 2)

        let view = DirectoryView(store: test.store, clock: test.clock)
        let probeGroups = try await view.transitiveGroups(tenantID: tenantID, memberID: result.probeUser.objectID)
        #expect(probeGroups.count == 12)
        let someUser = try #require(try await test.store.user(tenantID: tenantID, userPrincipalName: "user-7@scale.example"))
        #expect(try await view.transitiveGroups(tenantID: tenantID, memberID: someUser.objectID).count == 4)

        // Exactly one assignment names a group of the probe's, on namespace dev of the probe cluster.
        let probeAssignments = try await test.store.listRoleAssignments(tenantID: tenantID)
            .filter { probeGroups.contains($0.principalID) }
        #expect(probeAssignments.count == 1)
        #expect(probeAssignments.first?.namespace == "dev")
        #expect(probeAssignments.first?.clusterObjectID == result.probeCluster.objectID)

        #expect(try await PasswordHasher().verify("Seeded-Password-1", stored: result.probeUser.passwordHash))
    }

    @Test func aPlanThatCannotBeBuiltIsRefusedBeforeAnythingIsWritten() async throws {
        let test = try await TestIssuer.make()
        var plan = Self.smallPlan()
        plan.groups = 41
        await #expect(throws: AdministrationError.self) {
            _ = try await DirectorySeeder(administration: test.administration)
                .seed(tenantName: "scale", plan: plan, password: "Seeded-Password-1")
        }
        #expect(try await test.store.listTenants().allSatisfy { $0.name != "scale" })
    }
}
