import Foundation
import IdentityTesting
import Testing

/// The seed's just-in-time walkthrough with real processes: an eligible person is Forbidden,
/// activates the admin group through Microsoft's Graph SDK (MSAL device flow with the Graph
/// Command Line Tools client, the delegated PIM scope and no directory role), lists nodes with
/// the token kubectl already holds, and is Forbidden again when the activation ends, without
/// signing in again (webhook mode resolves groups at review time).
@Suite("Just-in-time access: PIM for groups with kubectl", .serialized,
       .enabled(if: EndToEndBinaries.available, "\(EndToEndBinaries.missing ?? "")"),
       .enabled(if: BrowserDriver.available, "\(BrowserDriver.missing ?? "")"))
struct JustInTimeEndToEndTests {
    static let password = "Just-in-time-2026!"

    @Test("an eligible user activates the admin group with msgraph-sdk, lists nodes, loses access when the activation ends, and does it again on the /pim page")
    func activationThroughGraphSDK() async throws {
        let scenario = try await ClusterScenario.make()
        do {
            let alice = try await scenario.createUser("alice@e2e.test", password: Self.password)
            let eligible = try await scenario.kubeid(["pim", "eligible", "add", "--tenant", "e2e", "--group", scenario.adminGroupID,
                                                      "--principal", "alice@e2e.test"])
            try #require(eligible.status == 0, "\(eligible.standardError)")
            let policy = try await scenario.kubeid(["pim", "policy", "update", "--tenant", "e2e", "--group", "aks-admins",
                                                    "--max-duration", "1m"])
            try #require(policy.status == 0, "\(policy.standardError)")
            let merged = try await scenario.kubeid(["cluster", "get-credentials", "--name", "dev", "--issuer-url", scenario.issuer.issuerURL])
            try #require(merged.status == 0, "\(merged.standardError)")

            let forbidden = #"Error from server (Forbidden): nodes is forbidden: User "alice@e2e.test" cannot list resource "nodes" in API group "" at the cluster scope"#
            let before = try await scenario.kubectl(["get", "nodes"], signIn: ("alice@e2e.test", Self.password))
            #expect(before.status != 0)
            #expect(before.standardError.contains(forbidden), "\(before.standardError)")

            // Over the policy's maximum: refused with the rule named.
            await #expect(throws: EndToEndError.self) {
                _ = try await BrowserDriver.selfActivate(
                    base: scenario.issuer.issuerURL, tenantID: scenario.tenantID,
                    certificateAuthority: scenario.issuer.certificateAuthorityFile, username: "alice@e2e.test",
                    password: Self.password, groupID: scenario.adminGroupID, seconds: 3600, justification: "too long",
                    workDirectory: scenario.directory)
            }
            let activated = try await BrowserDriver.selfActivate(
                base: scenario.issuer.issuerURL, tenantID: scenario.tenantID,
                certificateAuthority: scenario.issuer.certificateAuthorityFile, username: "alice@e2e.test",
                password: Self.password, groupID: scenario.adminGroupID, seconds: 60, justification: "INC-4711 node pressure",
                workDirectory: scenario.directory)
            #expect(activated["status"] as? String == "Provisioned", "\(activated)")
            #expect(activated["action"] as? String == "selfActivate")
            #expect(activated["duration"] as? String == "0:01:00", "the SDK reads back PT1M as a timedelta")
            let activatedAt = Date()

            let during = try await scenario.kubectl(["get", "nodes"])
            #expect(during.status == 0, "\(during.standardError)")
            #expect(during.standardOutput.contains("standin-node-1"))
            #expect(!during.standardError.contains("enter the code"), "no new sign-in")

            // The end: no write happens, and the next request is Forbidden again.
            var after = during
            while Date().timeIntervalSince(activatedAt) < 100 {
                try await Task.sleep(for: .seconds(5))
                after = try await scenario.kubectl(["get", "nodes"])
                if after.status != 0 { break }
            }
            #expect(after.status != 0)
            #expect(after.standardError.contains(forbidden), "\(after.standardError)")
            #expect(Date().timeIntervalSince(activatedAt) >= 55, "access lasted the activation")
            #expect(!after.standardError.contains("enter the code"), "no new sign-in")

            // Again through the /pim page in Chromium; then deactivated there.
            let pageEnd = try await BrowserDriver.pimPage(
                base: scenario.issuer.issuerURL, tenant: "e2e", username: "alice@e2e.test", password: Self.password,
                groupID: scenario.adminGroupID, justification: "INC-4712 follow-up", workDirectory: scenario.directory)
            #expect(pageEnd.hasPrefix("20"), "\(pageEnd)")
            let members = try await scenario.kubeid(["group", "member", "list", "--tenant", "e2e", "--group", scenario.adminGroupID])
            #expect(members.standardOutput.contains(alice), "the activation made alice a member: \(members.standardOutput) \(members.standardError) at \(Date())")
            let viaPage = try await scenario.kubectl(["get", "nodes"])
            #expect(viaPage.status == 0, "\(viaPage.standardError)")
            #expect(!viaPage.standardError.contains("enter the code"), "no new sign-in")
            let off = try await BrowserDriver.pimPage(
                base: scenario.issuer.issuerURL, tenant: "e2e", username: "alice@e2e.test", password: Self.password,
                groupID: scenario.adminGroupID, justification: "", deactivate: true, workDirectory: scenario.directory)
            #expect(off == "deactivated")
            let afterPage = try await scenario.kubectl(["get", "nodes"])
            #expect(afterPage.standardError.contains(forbidden), "\(afterPage.standardError)")

            let audits = try await scenario.kubeid(["audit", "list"])
            #expect(audits.standardOutput.contains("pim.assignment.selfActivate"), "\(audits.standardOutput.prefix(2000))")
        } catch {
            Issue.record(error)
        }
        await scenario.tearDown()
    }

    @Test("a PIM group holding Reader on namespace dev: pods in dev while active, never in prod, and not after deactivation")
    func namespaceReaderThroughActivation() async throws {
        let scenario = try await ClusterScenario.make()
        do {
            _ = try await scenario.createUser("bob@e2e.test", password: Self.password)
            let group = try await scenario.kubeidJSON(["group", "create", "--tenant", "e2e", "--display-name", "dev-readers"])
            let groupID = try #require(group["id"] as? String)
            let assignment = try await scenario.kubeid(["role", "assignment", "create", "--role", "Azure Kubernetes Service RBAC Reader",
                                                        "--assignee", groupID, "--scope", scenario.clusterID + "/namespaces/dev"])
            try #require(assignment.status == 0, "\(assignment.standardError)")
            let eligible = try await scenario.kubeid(["pim", "eligible", "add", "--tenant", "e2e", "--group", "dev-readers",
                                                      "--principal", "bob@e2e.test"])
            try #require(eligible.status == 0, "\(eligible.standardError)")
            let merged = try await scenario.kubeid(["cluster", "get-credentials", "--name", "dev", "--issuer-url", scenario.issuer.issuerURL])
            try #require(merged.status == 0, "\(merged.standardError)")

            let before = try await scenario.kubectl(["get", "pods", "-n", "dev"], signIn: ("bob@e2e.test", Self.password))
            #expect(before.status != 0, "\(before.standardOutput)")

            let activated = try await BrowserDriver.selfActivate(
                base: scenario.issuer.issuerURL, tenantID: scenario.tenantID,
                certificateAuthority: scenario.issuer.certificateAuthorityFile, username: "bob@e2e.test", password: Self.password,
                groupID: groupID, seconds: 2 * 3600, justification: "release check", workDirectory: scenario.directory)
            #expect(activated["status"] as? String == "Provisioned", "\(activated)")
            let dev = try await scenario.kubectl(["get", "pods", "-n", "dev"])
            #expect(dev.status == 0, "\(dev.standardError)")
            #expect(dev.standardOutput.contains("web-dev"))
            let prod = try await scenario.kubectl(["get", "pods", "-n", "prod"])
            #expect(prod.status != 0)
            #expect(prod.standardError.contains(#"pods is forbidden: User "bob@e2e.test" cannot list resource "pods" in API group "" in the namespace "prod""#),
                    "\(prod.standardError)")

            let deactivated = try await BrowserDriver.selfActivate(
                base: scenario.issuer.issuerURL, tenantID: scenario.tenantID,
                certificateAuthority: scenario.issuer.certificateAuthorityFile, username: "bob@e2e.test", password: Self.password,
                groupID: groupID, seconds: 0, justification: nil, deactivate: true, workDirectory: scenario.directory)
            #expect(deactivated["status"] as? String == "Revoked", "\(deactivated)")
            let afterwards = try await scenario.kubectl(["get", "pods", "-n", "dev"])
            #expect(afterwards.status != 0, "\(afterwards.standardOutput)")
        } catch {
            Issue.record(error)
        }
        await scenario.tearDown()
    }
}
