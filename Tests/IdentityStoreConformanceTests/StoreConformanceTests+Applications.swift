import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func applicationsCreateGetAndList(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let server = Fixtures.application(appID: "6dae42f8-4368-4678-94ff-3960e28e3630", displayName: "server",
                                              identifierURIs: ["api://kubernetes", "https://server.test"])
            let principal = Fixtures.servicePrincipal(for: server)
            let secret = Fixtures.secret(for: server)
            let certificate = Fixtures.certificate(for: server)
            try await store.createApplication(server, servicePrincipal: principal, secrets: [secret],
                                              certificates: [certificate])
            let clientB = Fixtures.application(appID: "b", displayName: "client")
            let clientA = Fixtures.application(appID: "a", displayName: "client")
            try await store.createApplication(clientB, servicePrincipal: Fixtures.servicePrincipal(for: clientB),
                                              secrets: [], certificates: [])
            try await store.createApplication(clientA, servicePrincipal: nil, secrets: [], certificates: [])
            let elsewhere = Fixtures.application(tenantID: Fixtures.otherTenantID, appID: server.appID,
                                                 displayName: "same app id, other tenant")
            try await store.createApplication(elsewhere, servicePrincipal: nil, secrets: [], certificates: [])

            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: server.appID) == server)
            #expect(try await store.application(tenantID: Fixtures.otherTenantID, appID: server.appID) == elsewhere)
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: "missing") == nil)
            #expect(try await store.application(tenantID: Fixtures.tenantID, identifierURI: "api://kubernetes") == server)
            #expect(try await store.application(tenantID: Fixtures.tenantID, identifierURI: "https://server.test") == server)
            #expect(try await store.application(tenantID: Fixtures.tenantID, identifierURI: "API://KUBERNETES") == nil)
            #expect(try await store.application(tenantID: Fixtures.otherTenantID, identifierURI: "api://kubernetes") == nil)
            #expect(try await store.listApplications(tenantID: Fixtures.tenantID) == [clientA, clientB, server])

            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, appID: server.appID) == principal)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, objectID: principal.objectID) == principal)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, appID: clientA.appID) == nil)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.otherTenantID, objectID: principal.objectID) == nil)
            #expect(try await store.listServicePrincipals(tenantID: Fixtures.tenantID).map(\.appID) == ["b", server.appID])

            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: server.appID) == [secret])
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: server.appID) == [certificate])
        }
    }

    @Test(arguments: StoreBackend.available)
    func applicationIdentityIsUnique(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app", identifierURIs: ["api://one"])
            try await store.createApplication(app, servicePrincipal: nil, secrets: [], certificates: [])

            var sameAppID = Fixtures.application(appID: "app")
            sameAppID.displayName = "other"
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createApplication(sameAppID, servicePrincipal: nil, secrets: [], certificates: [])
            }
            var sameObjectID = Fixtures.application(appID: "other")
            sameObjectID.objectID = app.objectID
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createApplication(sameObjectID, servicePrincipal: nil, secrets: [], certificates: [])
            }
            let sameURI = Fixtures.application(appID: "third", identifierURIs: ["api://one"])
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createApplication(sameURI, servicePrincipal: nil, secrets: [], certificates: [])
            }
            #expect(try await store.listApplications(tenantID: Fixtures.tenantID) == [app])
        }
    }

    @Test(arguments: StoreBackend.available)
    func createApplicationIsAllOrNothing(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let first = Fixtures.application(appID: "first")
            let taken = Fixtures.secret(for: first)
            try await store.createApplication(first, servicePrincipal: nil, secrets: [taken], certificates: [])

            // The last part (a secret whose id is taken) fails: nothing of the second app remains.
            let second = Fixtures.application(appID: "second", identifierURIs: ["api://second"])
            var clash = Fixtures.secret(for: second)
            clash.id = taken.id
            await #expect(throws: StoreError.alreadyExists) {
                try await store.createApplication(second, servicePrincipal: Fixtures.servicePrincipal(for: second),
                                                  secrets: [Fixtures.secret(for: second), clash],
                                                  certificates: [Fixtures.certificate(for: second)])
            }
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: "second") == nil)
            #expect(try await store.application(tenantID: Fixtures.tenantID, identifierURI: "api://second") == nil)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, appID: "second") == nil)
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: "second").isEmpty)
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "second").isEmpty)
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "first") == [taken])
        }
    }

    @Test(arguments: StoreBackend.available)
    func updateApplicationAppliesTheChange(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app", displayName: "before", identifierURIs: ["api://old"])
            try await store.createApplication(app, servicePrincipal: nil, secrets: [], certificates: [])

            let updated = try await store.updateApplication(tenantID: Fixtures.tenantID, appID: "app") { app in
                app.displayName = "after"
                app.identifierURIs = ["api://new", "api://newer"]
                app.isPublicClient = true
                app.accessTokenVersion = 1
                app.redirectURIs = []
            }
            var expected = app
            expected.displayName = "after"
            expected.identifierURIs = ["api://new", "api://newer"]
            expected.isPublicClient = true
            expected.accessTokenVersion = 1
            expected.redirectURIs = []
            #expect(updated == expected)
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: "app") == expected)
            #expect(try await store.application(tenantID: Fixtures.tenantID, identifierURI: "api://old") == nil)
            #expect(try await store.application(tenantID: Fixtures.tenantID, identifierURI: "api://newer") == expected)
        }
    }

    @Test(arguments: StoreBackend.available)
    func updateApplicationKeepsIdentityAndReportsMissing(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            await #expect(throws: StoreError.notFound) {
                try await store.updateApplication(tenantID: Fixtures.tenantID, appID: "missing") { _ in }
            }
            let app = Fixtures.application(appID: "app")
            try await store.createApplication(app, servicePrincipal: nil, secrets: [], certificates: [])
            let updated = try await store.updateApplication(tenantID: Fixtures.tenantID, appID: "app") { app in
                app.tenantID = Fixtures.otherTenantID
                app.appID = "renamed"
            }
            #expect(updated == app)
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: "app") == app)
            #expect(try await store.application(tenantID: Fixtures.otherTenantID, appID: "renamed") == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func updateApplicationRejectsAnIdentifierURIInUse(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let first = Fixtures.application(appID: "first", identifierURIs: ["api://first"])
            let second = Fixtures.application(appID: "second", identifierURIs: ["api://second"])
            for app in [first, second] {
                try await store.createApplication(app, servicePrincipal: nil, secrets: [], certificates: [])
            }
            await #expect(throws: StoreError.alreadyExists) {
                try await store.updateApplication(tenantID: Fixtures.tenantID, appID: "second") { app in
                    app.displayName = "changed"
                    app.identifierURIs = ["api://first"]
                }
            }
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: "second") == second)
            #expect(try await store.application(tenantID: Fixtures.tenantID, identifierURI: "api://first") == first)
        }
    }

    @Test(arguments: StoreBackend.available)
    func updateApplicationPassesTheClosuresErrorThrough(_ backend: StoreBackend) async throws {
        struct Refused: Error {}
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app")
            try await store.createApplication(app, servicePrincipal: nil, secrets: [], certificates: [])
            await #expect(throws: Refused.self) {
                try await store.updateApplication(tenantID: Fixtures.tenantID, appID: "app") { app in
                    app.displayName = "half-done"
                    throw Refused()
                }
            }
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: "app") == app)
        }
    }

    @Test(arguments: StoreBackend.available)
    func updateServicePrincipalAppliesOrAbortsAtomically(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app", displayName: "before")
            let principal = Fixtures.servicePrincipal(for: app)
            try await store.createApplication(app, servicePrincipal: principal, secrets: [], certificates: [])

            let updated = try await store.updateServicePrincipal(tenantID: Fixtures.tenantID, objectID: principal.objectID) { sp in
                sp.displayName = "after"
                sp.accountEnabled = false
                sp.tenantID = Fixtures.otherTenantID    // ignored: the identity cannot change
                sp.objectID = "other"
                sp.appID = "other-app"
                sp.createdAt = Fixtures.date(60)
            }
            var expected = principal
            expected.displayName = "after"
            expected.accountEnabled = false
            #expect(updated == expected)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, objectID: principal.objectID) == expected)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, appID: "app") == expected)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, objectID: "other") == nil)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, appID: "other-app") == nil)
            // The application is another record.
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: "app") == app)

            await #expect(throws: Refused()) {
                try await store.updateServicePrincipal(tenantID: Fixtures.tenantID, objectID: principal.objectID) { sp in
                    sp.accountEnabled = true
                    throw Refused()
                }
            }
            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, objectID: principal.objectID) == expected)
            await #expect(throws: StoreError.notFound) {
                try await store.updateServicePrincipal(tenantID: Fixtures.tenantID, objectID: "missing") { $0.displayName = "x" }
            }
            await #expect(throws: StoreError.notFound) {
                try await store.updateServicePrincipal(tenantID: Fixtures.otherTenantID, objectID: principal.objectID) {
                    $0.displayName = "x"
                }
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func deleteApplicationRemovesItsPrincipalCredentialsAndGrants(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app", identifierURIs: ["api://app"])
            let principal = Fixtures.servicePrincipal(for: app)
            try await store.createApplication(app, servicePrincipal: principal, secrets: [Fixtures.secret(for: app)],
                                              certificates: [Fixtures.certificate(for: app, thumbprint: "aa")])
            try await store.addFederatedCredential(Fixtures.federatedCredential(for: app, name: "github", subject: "repo:o/r"))
            let other = Fixtures.application(appID: "other")
            let otherPrincipal = Fixtures.servicePrincipal(for: other)
            let otherSecret = Fixtures.secret(for: other)
            try await store.createApplication(other, servicePrincipal: otherPrincipal, secrets: [otherSecret], certificates: [])
            // The same app id in another tenant is another application.
            let elsewhere = Fixtures.application(tenantID: Fixtures.otherTenantID, appID: "app")
            let elsewherePrincipal = Fixtures.servicePrincipal(for: elsewhere)
            try await store.createApplication(elsewhere, servicePrincipal: elsewherePrincipal,
                                              secrets: [Fixtures.secret(for: elsewhere)], certificates: [])

            try await store.createGroup(Fixtures.group(objectID: "g-ops", displayName: "ops"))
            let keptEdge = GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-ops", memberID: otherPrincipal.objectID,
                                           memberKind: .servicePrincipal)
            for edge in [keptEdge, GroupMembership(tenantID: Fixtures.tenantID, groupID: "g-ops", memberID: principal.objectID,
                                                   memberKind: .servicePrincipal)] {
                try await store.addMember(edge)
            }
            let prod = Fixtures.cluster(name: "prod")
            try await store.createCluster(prod)
            let keptRole = Fixtures.roleAssignment(id: "ra-other", cluster: prod, principalID: otherPrincipal.objectID,
                                                   principalType: .servicePrincipal)
            for assignment in [keptRole, Fixtures.roleAssignment(id: "ra-app", cluster: prod, principalID: principal.objectID,
                                                                 principalType: .servicePrincipal)] {
                try await store.createRoleAssignment(assignment)
            }
            // Granted to it; of its own app roles (it as the resource); and one that concerns it not.
            let grantedToIt = Fixtures.appRoleAssignment(id: "ara-to", principalID: principal.objectID)
            let ofItsRoles = Fixtures.appRoleAssignment(id: "ara-of", principalID: otherPrincipal.objectID,
                                                        resourceID: principal.objectID, appRoleID: "role-read")
            let keptGrant = Fixtures.appRoleAssignment(id: "ara-other", principalID: otherPrincipal.objectID)
            let elsewhereGrant = Fixtures.appRoleAssignment(tenantID: Fixtures.otherTenantID, id: "ara-elsewhere",
                                                            principalID: elsewherePrincipal.objectID)
            for grant in [grantedToIt, ofItsRoles, keptGrant, elsewhereGrant] { try await store.createAppRoleAssignment(grant) }
            // Refresh tokens issued to the app stay (revoking them is the caller's step).
            var token = Fixtures.refreshToken("rt-app")
            token.clientID = "app"
            try await store.createRefreshToken(token)

            try await store.deleteApplication(tenantID: Fixtures.tenantID, appID: "app")

            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: "app") == nil)
            #expect(try await store.application(tenantID: Fixtures.tenantID, identifierURI: "api://app") == nil)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, appID: "app") == nil)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, objectID: principal.objectID) == nil)
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "app").isEmpty)
            #expect(try await store.certificates(tenantID: Fixtures.tenantID, appID: "app").isEmpty)
            #expect(try await store.federatedCredentials(tenantID: Fixtures.tenantID, appID: "app").isEmpty)
            #expect(try await store.memberships(tenantID: Fixtures.tenantID, directMemberID: principal.objectID).map(\.groupID).isEmpty)
            #expect(try await store.members(tenantID: Fixtures.tenantID, groupID: "g-ops") == [keptEdge])
            #expect(try await store.listRoleAssignments(tenantID: Fixtures.tenantID) == [keptRole])
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, principalID: principal.objectID).isEmpty)
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, resourceID: principal.objectID).isEmpty)
            #expect(try await store.appRoleAssignments(tenantID: Fixtures.tenantID, principalID: otherPrincipal.objectID)
                    == [keptGrant])
            #expect(try await store.refreshToken(id: "rt-app") == token)
            // The other application, and the other tenant's app of the same id, are untouched.
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: "other") == other)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.tenantID, appID: "other") == otherPrincipal)
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "other") == [otherSecret])
            #expect(try await store.application(tenantID: Fixtures.otherTenantID, appID: "app") == elsewhere)
            #expect(try await store.servicePrincipal(tenantID: Fixtures.otherTenantID, appID: "app") == elsewherePrincipal)
            #expect(try await store.clientSecrets(tenantID: Fixtures.otherTenantID, appID: "app").count == 1)
            #expect(try await store.appRoleAssignment(tenantID: Fixtures.otherTenantID, id: "ara-elsewhere") == elsewhereGrant)

            await #expect(throws: StoreError.notFound) { try await store.deleteApplication(tenantID: Fixtures.tenantID, appID: "app") }
            // The app id, the identifier URI and the certificate are free again.
            let again = Fixtures.application(appID: "app", identifierURIs: ["api://app"])
            try await store.createApplication(again, servicePrincipal: nil, secrets: [],
                                              certificates: [Fixtures.certificate(for: again, thumbprint: "aa")])
            #expect(try await store.application(tenantID: Fixtures.tenantID, identifierURI: "api://app") == again)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deleteApplicationWithoutAPrincipal(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app")
            try await store.createApplication(app, servicePrincipal: nil, secrets: [Fixtures.secret(for: app)], certificates: [])
            try await store.deleteApplication(tenantID: Fixtures.tenantID, appID: "app")
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: "app") == nil)
            #expect(try await store.clientSecrets(tenantID: Fixtures.tenantID, appID: "app").isEmpty)
            await #expect(throws: StoreError.notFound) {
                try await store.deleteApplication(tenantID: Fixtures.tenantID, appID: "missing")
            }
            await #expect(throws: StoreError.notFound) {
                try await store.deleteApplication(tenantID: Fixtures.otherTenantID, appID: "app")
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func servicePrincipalAndApplicationDeletesMoveDirectoryVersion(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let app = Fixtures.application(appID: "app")
            let principal = Fixtures.servicePrincipal(for: app)
            try await store.createApplication(app, servicePrincipal: principal, secrets: [], certificates: [])
            var seen: Set<Int64> = [try await store.directoryVersion()]
            func expectNewVersion(after write: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                #expect(seen.insert(try await store.directoryVersion()).inserted, "directoryVersion did not change after \(write)",
                        sourceLocation: sourceLocation)
            }
            try await store.updateServicePrincipal(tenantID: Fixtures.tenantID, objectID: principal.objectID) {
                $0.accountEnabled = false
            }
            try await expectNewVersion(after: "updateServicePrincipal")
            try await store.deleteApplication(tenantID: Fixtures.tenantID, appID: "app")
            try await expectNewVersion(after: "deleteApplication")
        }
    }
}
