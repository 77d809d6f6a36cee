import Foundation
import IdentityCore
import IdentityTesting
import Testing

/// Every administrative change is in the audit trail, naming the actor the administration
/// services were given (the command line, or an API caller), never a hard-coded one.
@Suite("Administration audit trail")
struct AdministrationAuditTests {
    @Test func directoryChangesAreAuditedWithTheActorOfTheContext() async throws {
        let test = try await TestIssuer.make()
        let caller = AdministrationActor.principal(objectID: "5b1c3a2e-0000-4000-8000-000000000001",
                                                   clientID: "14d82eec-204b-4c2f-b7e8-296a70dab67e")
        let admin = DirectoryAdministration(store: test.store, clock: test.clock, hasher: test.hasher,
                                            passwordHasher: test.issuer.passwordHasher, actor: caller)
        let tenant = try await admin.createTenant(name: "audited")
        let group = try await admin.createGroup(tenant: "audited", displayName: "ops", mailNickname: nil)
        let pipeline = try await admin.createServicePrincipalForRBAC(tenant: "audited", name: "ci", credential: .secret)
        try await admin.addGroupMember(tenant: "audited", groupID: group.objectID,
                                       memberID: pipeline.servicePrincipal.objectID)
        try await admin.removeGroupMember(tenant: "audited", groupID: group.objectID,
                                          memberID: pipeline.servicePrincipal.objectID)
        _ = try await admin.resetCredential(tenant: "audited", appID: pipeline.application.appID, credential: .secret)
        _ = try await admin.createFederatedCredential(tenant: "audited", appID: pipeline.application.appID, name: "gh",
                                                      issuer: "https://token.actions.example", subject: "repo:x",
                                                      audiences: ["api://AzureADTokenExchange"])
        _ = try await admin.createApplication(tenant: "audited", displayName: "api")

        let events = try await test.store.auditEvents(tenantID: tenant.id, since: .distantPast, limit: 100)
        #expect(Set(events.map(\.kind)) == [
            "tenant.created", "group.created", "application.created", "group.member-added", "group.member-removed",
            "application.credential-reset", "application.federated-credential-created",
        ])
        #expect(events.allSatisfy { $0.actor == caller.name && $0.clientID == caller.clientID && $0.outcome == "success" })
        let added = try #require(events.first { $0.kind == "group.member-added" })
        #expect(added.subject == group.objectID && added.details["member"] == pipeline.servicePrincipal.objectID)
        #expect(added.details["memberKind"] == "servicePrincipal")
        // No secret lands in the trail.
        let secrets = [pipeline.password].compactMap { $0 }
        #expect(!secrets.isEmpty && events.allSatisfy { event in secrets.allSatisfy { !"\(event)".contains($0) } })

        // The command line's verbs name `cli`.
        _ = try await test.administration.createGroup(tenant: "audited", displayName: "cli-group", mailNickname: nil)
        let later = try await test.store.auditEvents(tenantID: tenant.id, since: .distantPast, limit: 100)
        #expect(later.contains { $0.kind == "group.created" && $0.actor == "cli" && $0.clientID == nil })
    }
}
