import Cryptography
import Foundation
import IdentityCore
import IdentityTesting
import Testing

@Suite("Cluster registration rules, admin credentials and webhook tokens")
struct ClusterAdministrationTests {
    static func fresh() async throws -> (TestIssuer, DirectoryFixture) {
        let test = try await TestIssuer.make()
        return (test, try await DirectoryFixture.make(in: test))
    }

    @Test func theSeedLimitations() async throws {
        let (test, directory) = try await Self.fresh()
        let admin = test.administration
        let group = directory.outer.objectID
        // --enable-aad needs Kubernetes RBAC.
        await #expect(throws: AdministrationError.invalidArgument("")) {
            _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(
                name: "a", server: "https://a.test:6443", enableAAD: true, adminGroupObjectIDs: [group], disableRBAC: true))
        }
        // An AAD cluster needs an admin group, or the acknowledgement.
        await #expect(throws: AdministrationError.invalidArgument("")) {
            _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(name: "b", server: "https://b.test:6443", enableAAD: true))
        }
        let acknowledged = try await admin.createCluster(tenant: "contoso", ClusterRegistration(
            name: "b", server: "https://b.test:6443", enableAAD: true, acknowledgeNoAdminGroups: true))
        #expect(acknowledged.aadProfile?.adminGroupObjectIDs == [])
        // Admin groups must be groups of the AAD tenant; GUIDs are canonicalised.
        await #expect(throws: AdministrationError.notFound("")) {
            _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(
                name: "c", server: "https://c.test:6443", enableAAD: true, adminGroupObjectIDs: [ObjectID.make()]))
        }
        let cluster = try await admin.createCluster(tenant: "contoso", ClusterRegistration(
            name: "c", server: "https://c.test:6443/", enableAAD: true, adminGroupObjectIDs: [group.uppercased()]))
        #expect(cluster.aadProfile?.adminGroupObjectIDs == [group])
        #expect(cluster.aadProfile?.tenantID == directory.tenant.id)
        #expect(cluster.server == "https://c.test:6443")
        #expect(cluster.resourceID == "/tenants/\(directory.tenant.id)/clusters/c")
        // Azure RBAC and disabling local accounts need AAD.
        await #expect(throws: AdministrationError.invalidArgument("")) {
            _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(name: "d", server: "https://d.test", enableAzureRBAC: true))
        }
        await #expect(throws: AdministrationError.invalidArgument("")) {
            _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(name: "d", server: "https://d.test", disableLocalAccounts: true))
        }
        // Names: AKS's rules, unique ignoring case; servers must be https.
        await #expect(throws: AdministrationError.invalidArgument("")) {
            _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(name: "-bad", server: "https://d.test"))
        }
        await #expect(throws: AdministrationError.invalidArgument("")) {
            _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(name: "d", server: "http://d.test"))
        }
        await #expect(throws: AdministrationError.alreadyExists("")) {
            _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(name: "C", server: "https://d.test"))
        }
    }

    @Test func aadCannotBeTurnedOffAndUpdatesKeepTheRules() async throws {
        let (test, directory) = try await Self.fresh()
        let admin = test.administration
        _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(name: "plain", server: "https://p.test"))
        _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(name: "norbac", server: "https://n.test", disableRBAC: true))
        await #expect(throws: AdministrationError.invalidArgument("")) {
            _ = try await admin.updateCluster(tenant: "contoso", name: "norbac", ClusterUpdate(enableAAD: true, adminGroupObjectIDs: [directory.outer.objectID]))
        }
        await #expect(throws: AdministrationError.invalidArgument("")) {
            _ = try await admin.updateCluster(tenant: "contoso", name: "plain", ClusterUpdate(enableAAD: true))
        }
        let enabled = try await admin.updateCluster(tenant: "contoso", name: "plain",
                                                    ClusterUpdate(enableAAD: true, adminGroupObjectIDs: [directory.outer.objectID]))
        #expect(enabled.aadProfile != nil)
        // Later updates keep AAD on; there is no way to turn it off.
        let later = try await admin.updateCluster(tenant: "contoso", name: "plain", ClusterUpdate(azureRBAC: true))
        #expect(later.aadProfile?.azureRBACEnabled == true)
        #expect(later.aadProfile?.adminGroupObjectIDs == [directory.outer.objectID])
        let disabled = try await admin.updateCluster(tenant: "contoso", name: "plain", ClusterUpdate(disableLocalAccounts: true))
        #expect(disabled.localAccountsDisabled && disabled.aadProfile != nil)
    }

    @Test func adminCredentialsAndTheLocalAccountKillSwitch() async throws {
        let (test, directory) = try await Self.fresh()
        let admin = test.administration
        let cluster = try await admin.createCluster(tenant: "contoso", ClusterRegistration(
            name: "dev", server: "https://dev.test:6443", enableAAD: true, adminGroupObjectIDs: [directory.outer.objectID]))
        let credential = try await admin.adminCredential(tenant: "contoso", name: "dev")
        let certificate = try Certificate(pem: credential.certificatePEM)
        let ca = try Certificate(pem: cluster.localAccountCA.certificatePEM)
        #expect(certificate.isIssued(by: ca))
        #expect(certificate.subjectCommonName == "masterclient")
        #expect(certificate.subjectOrganizations == ["system:masters"])
        #expect(certificate.notAfter.timeIntervalSinceNow <= ClusterRules.adminCredentialLifetime + 5)
        #expect(try PrivateKey(pem: credential.privateKeyPEM).publicKey == certificate.publicKey)

        _ = try await admin.updateCluster(tenant: "contoso", name: "dev", ClusterUpdate(disableLocalAccounts: true))
        do {
            _ = try await admin.adminCredential(tenant: "contoso", name: "dev")
            Issue.record("an admin credential was issued with local accounts disabled")
        } catch let error as AdministrationError {
            #expect(error.code == .notAllowed)
            #expect(error.message == "Getting static credential is not allowed because this cluster is set to disable local accounts.")
        }
        let events = try await test.store.auditEvents(tenantID: directory.tenant.id, since: .distantPast, limit: 100)
        let denied = try #require(events.last { $0.kind == "cluster.admin-credential.denied" })
        #expect(denied.outcome == "failure")
        #expect(denied.subject == cluster.resourceID)
        #expect(events.contains { $0.kind == "cluster.admin-credential.issued" })

        _ = try await admin.updateCluster(tenant: "contoso", name: "dev", ClusterUpdate(disableLocalAccounts: false))
        _ = try await admin.adminCredential(tenant: "contoso", name: "dev")
    }

    @Test func rotatingCertificatesReplacesTheCA() async throws {
        let (test, _) = try await Self.fresh()
        let admin = test.administration
        let before = try await admin.createCluster(tenant: "contoso", ClusterRegistration(name: "dev", server: "https://dev.test:6443"))
        let old = try Certificate(pem: try await admin.adminCredential(tenant: "contoso", name: "dev").certificatePEM)
        let after = try await admin.rotateClusterCertificates(tenant: "contoso", name: "dev")
        #expect(after.localAccountCA != before.localAccountCA)
        let newCA = try Certificate(pem: after.localAccountCA.certificatePEM)
        #expect(!old.isIssued(by: newCA))
        #expect(try Certificate(pem: try await admin.adminCredential(tenant: "contoso", name: "dev").certificatePEM).isIssued(by: newCA))
    }

    @Test func webhookTokensAreKeptWhenPresentedAndOnlyHashed() async throws {
        let (test, directory) = try await Self.fresh()
        let admin = test.administration
        _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(
            name: "dev", server: "https://dev.test:6443", enableAAD: true, adminGroupObjectIDs: [directory.outer.objectID]))
        let webhooks = test.issuer.clusterWebhooks
        #expect(try await webhooks.authenticate(tenantID: directory.tenant.id, clusterName: "dev", bearer: "anything") == nil)
        let (cluster, token) = try await admin.webhookToken(tenant: "contoso", name: "dev", existing: nil)
        #expect(cluster.webhookTokenHash == test.hasher.hash(token))
        #expect(try await webhooks.authenticate(tenantID: directory.tenant.id, clusterName: "DEV", bearer: token)?.name == "dev")
        #expect(try await webhooks.authenticate(tenantID: directory.tenant.id, clusterName: "dev", bearer: token + "x") == nil)
        #expect(try await webhooks.authenticate(tenantID: ObjectID.make(), clusterName: "dev", bearer: token) == nil)
        // Presenting the current token keeps it; a stale one is replaced.
        #expect(try await admin.webhookToken(tenant: "contoso", name: "dev", existing: token).1 == token)
        let (_, replaced) = try await admin.webhookToken(tenant: "contoso", name: "dev", existing: "stale")
        #expect(replaced != token)
        #expect(try await webhooks.authenticate(tenantID: directory.tenant.id, clusterName: "dev", bearer: token) == nil)
    }

    @Test func scopesParse() {
        let tid = "3f1c7a2e-5b8d-4c6f-9a0e-2d4b6c8e0f11"
        #expect(ClusterScope.parse("/tenants/\(tid)/clusters/dev") == ClusterScope(tenantID: tid, clusterName: "dev", namespace: nil))
        #expect(ClusterScope.parse("/tenants/\(tid.uppercased())/clusters/dev/namespaces/team-a/")
                == ClusterScope(tenantID: tid, clusterName: "dev", namespace: "team-a"))
        #expect(ClusterScope.parse("/tenants/\(tid)/clusters/dev/providers/Microsoft.KubernetesConfiguration/namespaces/x")?.namespace == "x")
        #expect(ClusterScope.parse("/tenants/\(tid)/clusters/dev/namespaces/Bad_NS") == nil)
        #expect(ClusterScope.parse("/tenants/not-a-guid/clusters/dev") == nil)
        #expect(ClusterScope.parse("/subscriptions/x/resourceGroups/y") == nil)
        #expect(ClusterScope.parse("/tenants/\(tid)/clusters/dev/namespaces") == nil)
    }
}
