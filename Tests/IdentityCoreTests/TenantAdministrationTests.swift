import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Tenant administration")
struct TenantAdministrationTests {
    /// A tenant made before the Graph applications existed gets them when a server starts,
    /// even with several servers starting at once on the store.
    @Test func startingServersAddMissingWellKnownApplicationsOnce() async throws {
        let test = try await TestIssuer.make()
        let tenant = try await test.administration.createTenant(name: "contoso")
        try await test.store.deleteApplication(tenantID: tenant.id, appID: WellKnownApplications.graphAppID)
        try await test.store.deleteApplication(tenantID: tenant.id, appID: WellKnownApplications.graphCommandLineToolsAppID)
        #expect(try await test.store.application(tenantID: tenant.id, appID: WellKnownApplications.graphAppID) == nil)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { try await test.issuer.start() } }
            try await group.waitForAll()
        }
        let principals = try await test.store.listServicePrincipals(tenantID: tenant.id)
        #expect(principals.map(\.appID).sorted() == Self.wellKnown.sorted())
    }

    static let wellKnown: Set<String> = [AKS.serverAppID, AKS.clientAppID, WellKnownApplications.graphAppID,
                                         WellKnownApplications.graphCommandLineToolsAppID]

    @Test func createRegistersTheAKSAndGraphApplicationsWithServicePrincipals() async throws {
        let test = try await TestIssuer.make()
        let tenant = try await test.administration.createTenant(name: "contoso")

        let applications = try await test.administration.listApplications(tenant: tenant.id)
        #expect(Set(applications.map(\.appID)) == Self.wellKnown)
        let graph = try #require(applications.first { $0.appID == WellKnownApplications.graphAppID })
        #expect(graph.identifierURIs == ["https://graph.microsoft.com"])
        #expect(graph.displayName == "Microsoft Graph")
        #expect(graph.exposedScopes.contains("Group.ReadWrite.All"))
        let server = try #require(applications.first { $0.appID == AKS.serverAppID })
        #expect(server.accessTokenVersion == 1)
        #expect(server.exposedScopes == ["user.read"])
        #expect(server.isPublicClient == false)
        #expect(server.tenantID == tenant.id)
        let client = try #require(applications.first { $0.appID == AKS.clientAppID })
        #expect(client.isPublicClient == true)
        #expect(client.tenantID == tenant.id)

        let principals = try await test.administration.listServicePrincipals(tenant: tenant.id)
        #expect(Set(principals.map(\.appID)) == Self.wellKnown)
        #expect(principals.allSatisfy { $0.tenantID == tenant.id && $0.accountEnabled })
        // The principal's object id is its own, not the app id or the registration's object id.
        for principal in principals {
            let application = try #require(applications.first { $0.appID == principal.appID })
            #expect(principal.objectID != principal.appID)
            #expect(principal.objectID != application.objectID)
        }
    }

    @Test func tenantIDIsALowerCaseGUIDOrTheOneGiven() async throws {
        let test = try await TestIssuer.make()
        let generated = try await test.administration.createTenant(name: "contoso")
        #expect(ObjectID.canonical(generated.id) == generated.id)

        let chosen = "3F1C7A2E-5B8D-4C6F-9A0E-2D4B6C8E0F11"
        let fabrikam = try await test.administration.createTenant(name: "fabrikam", id: chosen)
        #expect(fabrikam.id == chosen.lowercased())

        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await test.administration.createTenant(name: "adatum", id: "not-a-guid")
        }
    }

    @Test func tenantIsFoundByIDOrNameInAnyCase() async throws {
        let test = try await TestIssuer.make()
        let tenant = try await test.administration.createTenant(name: "Contoso.Test")
        for spelling in [tenant.id, tenant.id.uppercased(), "Contoso.Test", "contoso.test", "CONTOSO.TEST"] {
            #expect(try await test.administration.tenant(spelling) == tenant, "\(spelling)")
        }
        let error = await #expect(throws: AdministrationError.notFound("")) {
            try await test.administration.tenant("fabrikam")
        }
        #expect(error?.message == "tenant 'fabrikam' not found")
        await #expect(throws: AdministrationError.notFound("")) {
            try await test.administration.tenant(ObjectID.make())
        }
    }

    @Test(arguments: ["", "common", "Organizations", "CONSUMERS", "adfs", "healthz", "v1.0", "discovery",
                      "devicelogin", "static", "Static", "contoso_x", "con toso", "contoso/x", "cöntoso",
                      String(repeating: "a", count: 65),
                      "3f1c7a2e-5b8d-4c6f-9a0e-2d4b6c8e0f11"])
    func invalidOrReservedNamesAreRefused(_ name: String) async throws {
        let test = try await TestIssuer.make()
        await #expect(throws: AdministrationError.invalidArgument("")) {
            try await test.administration.createTenant(name: name)
        }
        #expect(try await test.administration.listTenants().isEmpty)
    }

    @Test(arguments: ["a", "contoso", "contoso.onmicrosoft.test", "team-1", String(repeating: "a", count: 64)])
    func validNamesAreAccepted(_ name: String) async throws {
        let test = try await TestIssuer.make()
        let tenant = try await test.administration.createTenant(name: name)
        #expect(tenant.name == name)
    }

    @Test func duplicateNamesAndIDsAreAlreadyExists() async throws {
        let test = try await TestIssuer.make()
        let contoso = try await test.administration.createTenant(name: "contoso")
        await #expect(throws: AdministrationError.alreadyExists("")) {
            try await test.administration.createTenant(name: "contoso")
        }
        await #expect(throws: AdministrationError.alreadyExists("")) {
            try await test.administration.createTenant(name: "CONTOSO")
        }
        await #expect(throws: AdministrationError.alreadyExists("")) {
            try await test.administration.createTenant(name: "fabrikam", id: contoso.id.uppercased())
        }
        #expect(try await test.administration.listTenants() == [contoso])
    }
}
