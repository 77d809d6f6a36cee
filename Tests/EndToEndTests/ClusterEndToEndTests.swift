import Foundation
import IdentityTesting
import Testing

/// The AKS side of the seed with real processes: kubeid serve, kubeid's admin commands, our
/// kubelogin, the real kubectl and a kube-apiserver stand-in in webhook mode (client
/// certificates against the client CA, TokenReview, SubjectAccessReview, kube-apiserver's
/// Forbidden message). Device codes are completed by the headless-Chromium driver.
@Suite("Clusters: kubectl through kubeid's webhooks", .serialized,
       .enabled(if: EndToEndBinaries.available, "\(EndToEndBinaries.missing ?? "")"))
struct ClusterEndToEndTests {
    static let password = "Seed-walkthrough-2026!"

    @Test("the seed walkthrough: an admin-group member runs kubectl get nodes after get-credentials and a device-code sign-in",
          .enabled(if: BrowserDriver.available, "\(BrowserDriver.missing ?? "")"))
    func adminGroupMemberGetsNodes() async throws {
        let scenario = try await ClusterScenario.make()
        do {
            _ = try await scenario.createUser("alice@e2e.test", password: Self.password, groups: [scenario.adminGroupID])
            let merged = try await scenario.kubeid(["cluster", "get-credentials", "--name", "dev", "--issuer-url", scenario.issuer.issuerURL])
            try #require(merged.status == 0, "\(merged.standardError)")
            #expect(merged.standardOutput == "Merged \"dev\" as current context in \(scenario.kubeconfig)\n")
            let attributes = try FileManager.default.attributesOfItem(atPath: scenario.kubeconfig)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)

            let nodes = try await scenario.kubectl(["get", "nodes"], signIn: ("alice@e2e.test", Self.password))
            #expect(nodes.status == 0, "\(nodes.standardError)")
            #expect(nodes.standardOutput.contains("standin-node-1"))
            #expect(nodes.standardError.contains("enter the code"))
            let access = scenario.apiServer.log.all.filter { $0.path == "/api/v1/nodes" }
            #expect(access.last?.user == "alice@e2e.test")
            #expect(access.last?.authenticatedBy == "token")
            #expect(access.last?.reason.contains("admin group") == true)

            // The token is cached: the next run needs no sign-in.
            let again = try await scenario.kubectl(["get", "nodes"])
            #expect(again.status == 0, "\(again.standardError)")
            #expect(!again.standardError.contains("enter the code"))
        } catch {
            Issue.record(error)
        }
        await scenario.tearDown()
    }

    @Test("a namespace Reader lists pods in dev and gets kube-apiserver's exact Forbidden message in prod",
          .enabled(if: BrowserDriver.available, "\(BrowserDriver.missing ?? "")"))
    func namespaceReader() async throws {
        let scenario = try await ClusterScenario.make()
        do {
            _ = try await scenario.createUser("bob@e2e.test", password: Self.password)
            let assignment = try await scenario.kubeidJSON(["role", "assignment", "create", "--role", "Azure Kubernetes Service RBAC Reader",
                                                            "--assignee", "bob@e2e.test", "--scope", scenario.clusterID + "/namespaces/dev"])
            #expect(assignment["scope"] as? String == scenario.clusterID + "/namespaces/dev")
            let merged = try await scenario.kubeid(["cluster", "get-credentials", "--name", "dev", "--issuer-url", scenario.issuer.issuerURL])
            try #require(merged.status == 0, "\(merged.standardError)")

            let dev = try await scenario.kubectl(["get", "pods", "-n", "dev"], signIn: ("bob@e2e.test", Self.password))
            #expect(dev.status == 0, "\(dev.standardError)")
            #expect(dev.standardOutput.contains("web-dev"))

            let prod = try await scenario.kubectl(["get", "pods", "-n", "prod"])
            #expect(prod.status != 0)
            #expect(prod.standardError.contains(
                #"Error from server (Forbidden): pods is forbidden: User "bob@e2e.test" cannot list resource "pods" in API group "" in the namespace "prod": User does not have access to the resource in Azure. Update role assignment to allow access."#),
                "\(prod.standardError)")
            let nodes = try await scenario.kubectl(["get", "nodes"])
            #expect(nodes.standardError.contains(#"nodes is forbidden: User "bob@e2e.test" cannot list resource "nodes" in API group "" at the cluster scope"#),
                    "\(nodes.standardError)")
        } catch {
            Issue.record(error)
        }
        await scenario.tearDown()
    }

    @Test("a pipeline's service principal with a Writer assignment works through kubelogin -l spn")
    func pipelineWriter() async throws {
        let scenario = try await ClusterScenario.make()
        do {
            let sp = try await scenario.kubeidJSON(["sp", "create-for-rbac", "--tenant", "e2e", "--name", "deploy-pipeline"])
            let appID = try #require(sp["appId"] as? String)
            let secret = try #require(sp["password"] as? String)
            _ = try await scenario.kubeidJSON(["role", "assignment", "create", "--role", "Azure Kubernetes Service RBAC Writer",
                                               "--assignee", appID, "--scope", scenario.clusterID + "/namespaces/dev"])
            let merged = try await scenario.kubeid(["cluster", "get-credentials", "--name", "dev", "--issuer-url", scenario.issuer.issuerURL])
            try #require(merged.status == 0, "\(merged.standardError)")
            // As a pipeline does: convert the kubeconfig to the spn login.
            let convert = try await ChildProcess.run(EndToEndBinaries.kubelogin, [
                "convert-kubeconfig", "--kubeconfig", scenario.kubeconfig, "-l", "spn", "--client-id", appID, "--client-secret", secret,
            ], environment: scenario.childEnvironment)
            try #require(convert.status == 0, "\(convert.standardError)")

            let created = try await scenario.kubectl(["create", "configmap", "release", "-n", "dev", "--from-literal=version=1"])
            #expect(created.status == 0, "\(created.standardError)")
            #expect(created.standardOutput.contains("configmap/release created"))
            let pods = try await scenario.kubectl(["get", "pods", "-n", "dev"])
            #expect(pods.status == 0, "\(pods.standardError)")
            let elsewhere = try await scenario.kubectl(["create", "configmap", "release", "-n", "prod", "--from-literal=version=1"])
            #expect(elsewhere.status != 0)
            #expect(elsewhere.standardError.contains("configmaps is forbidden: User \"\(try #require(scenario.apiServer.log.all.last?.user))\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"prod\""),
                    "\(elsewhere.standardError)")
        } catch {
            Issue.record(error)
        }
        await scenario.tearDown()
    }

    @Test("get-credentials --admin, the local-account kill switch, and rotate-certs")
    func localAccounts() async throws {
        let scenario = try await ClusterScenario.make()
        do {
            let admin = try await scenario.kubeid(["cluster", "get-credentials", "--name", "dev", "--admin"])
            #expect(admin.status == 0, "\(admin.standardError)")
            #expect(admin.standardOutput == "Merged \"dev-admin\" as current context in \(scenario.kubeconfig)\n")
            let nodes = try await scenario.kubectl(["get", "nodes"])
            #expect(nodes.status == 0, "\(nodes.standardError)")
            #expect(scenario.apiServer.log.all.last?.authenticatedBy == "certificate")
            #expect(scenario.apiServer.log.all.last?.user == "masterclient")
            let oldKubeconfig = scenario.directory + "/old-admin.kubeconfig"
            try FileManager.default.copyItem(atPath: scenario.kubeconfig, toPath: oldKubeconfig)

            // Disabled: exactly AKS's message, exit 1, and an audit event.
            _ = try await scenario.kubeidJSON(["cluster", "update", "--name", "dev", "--disable-local-accounts"])
            let refused = try await scenario.kubeid(["cluster", "get-credentials", "--name", "dev", "--admin"])
            #expect(refused.status == 1)
            #expect(refused.standardError == "Getting static credential is not allowed because this cluster is set to disable local accounts.\n")
            // Re-enabled: it works again.
            _ = try await scenario.kubeidJSON(["cluster", "update", "--name", "dev", "--enable-local"])
            let restored = try await scenario.kubeid(["cluster", "get-credentials", "--name", "dev", "--admin", "--overwrite-existing"])
            #expect(restored.status == 0, "\(restored.standardError)")
            #expect(try await scenario.kubectl(["get", "nodes"]).status == 0)

            // rotate-certs, then the new client CA for kube-apiserver: the old certificate is refused.
            _ = try await scenario.kubeidJSON(["cluster", "rotate-certs", "--name", "dev", "--yes"])
            _ = try await scenario.kubeidJSON(["cluster", "apiserver-config", "--name", "dev", "--dir", scenario.configDirectory,
                                               "--issuer-url", scenario.issuer.issuerURL])
            let stale = try await scenario.kubectl(["get", "nodes"], kubeconfig: oldKubeconfig)
            #expect(stale.status != 0)
            #expect(stale.standardError.contains("error: You must be logged in to the server"), "\(stale.standardError)")
            let fresh = try await scenario.kubeid(["cluster", "get-credentials", "--name", "dev", "--admin", "--overwrite-existing"])
            #expect(fresh.status == 0)
            #expect(try await scenario.kubectl(["get", "nodes"]).status == 0)
        } catch {
            Issue.record(error)
        }
        await scenario.tearDown()
    }
}
