import Cryptography
import Foundation
import KubernetesTypes
import Testing
import Yams

/// `kubeid cluster …` and `kubeid role …` as an operator runs them (the real binary).
@Suite("cluster and role commands", .serialized)
struct ClusterCommandTests {
    struct World {
        let kubeid: KubeID
        let tenantID: String
        let groupID: String
    }

    static func world() async throws -> World {
        let kubeid = try KubeID()
        let tenant = try #require(try await kubeid.json(["tenant", "create", "--name", "contoso"]) as? [String: Any])
        let group = try #require(try await kubeid.json(["group", "create", "--tenant", "contoso", "--display-name", "aks-admins"]) as? [String: Any])
        return World(kubeid: kubeid, tenantID: try #require(tenant["id"] as? String), groupID: try #require(group["id"] as? String))
    }

    @Test func createShowsTheAKSShape() async throws {
        let world = try await Self.world()
        defer { world.kubeid.cleanUp() }
        let cluster = try #require(try await world.kubeid.json([
            "cluster", "create", "--tenant", "contoso", "--name", "dev", "--server", "https://10.0.0.1:6443",
            "--enable-aad", "--aad-admin-group-object-ids", world.groupID, "--enable-azure-rbac"]) as? [String: Any])
        #expect(cluster["id"] as? String == "/tenants/\(world.tenantID)/clusters/dev")
        #expect(cluster["name"] as? String == "dev")
        #expect(cluster["disableLocalAccounts"] as? Bool == false)
        let profile = try #require(cluster["aadProfile"] as? [String: Any])
        #expect(profile["adminGroupObjectIds"] as? [String] == [world.groupID])
        #expect(profile["clientAppId"] is NSNull && profile["serverAppId"] is NSNull && profile["serverAppSecret"] is NSNull)
        #expect(profile["managed"] as? Bool == true)
        #expect(profile["tenantId"] as? String == world.tenantID)
        #expect(profile["enableAzureRbac"] as? Bool == true)
        // The printed members are in az's order.
        let create = try await world.kubeid.run(["cluster", "show", "--name", "dev"])
        let keys = ["adminGroupObjectIds", "clientAppId", "enableAzureRbac", "managed", "serverAppId", "serverAppSecret", "tenantId"]
        let positions = keys.compactMap { create.stdout.range(of: "\"\($0)\"")?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted())

        let query = try await world.kubeid.run(["cluster", "show", "--name", "dev", "--query", "aadProfile.adminGroupObjectIds[0]", "-o", "tsv"])
        #expect(query.stdout == world.groupID + "\n")
        let list = try await world.kubeid.run(["cluster", "list", "-o", "table"])
        #expect(list.stdout.contains("dev") && list.stdout.hasPrefix("Name"))
        let names = try await world.kubeid.run(["cluster", "list", "--query", "[].name"])
        #expect(try JSONSerialization.jsonObject(with: Data(names.stdout.utf8)) as? [String] == ["dev"])
    }

    @Test func rulesAndErrors() async throws {
        let world = try await Self.world()
        defer { world.kubeid.cleanUp() }
        let noGroup = try await world.kubeid.run(["cluster", "create", "--tenant", "contoso", "--name", "a", "--server", "https://a:6443", "--enable-aad"])
        #expect(noGroup.status == 1 && noGroup.stderr.contains("at least one admin group"))
        let noRBAC = try await world.kubeid.run(["cluster", "create", "--tenant", "contoso", "--name", "a", "--server", "https://a:6443",
                                                 "--enable-aad", "--aad-admin-group-object-ids", world.groupID, "--disable-rbac"])
        #expect(noRBAC.status == 1 && noRBAC.stderr.contains("requires Kubernetes RBAC"))
        _ = try await world.kubeid.json(["cluster", "create", "--tenant", "contoso", "--name", "a", "--server", "https://a:6443"])
        let missing = try await world.kubeid.run(["cluster", "show", "--name", "nope"])
        #expect(missing.status == 1 && missing.stderr == "Error: cluster 'nope' not found\n")
        let both = try await world.kubeid.run(["cluster", "update", "--name", "a", "--disable-local-accounts", "--enable-local"])
        #expect(both.status != 0)
        let enabled = try #require(try await world.kubeid.json(["cluster", "update", "--name", "a", "--enable-aad", "--no-aad-admin-groups"]) as? [String: Any])
        #expect((enabled["aadProfile"] as? [String: Any])?["adminGroupObjectIds"] as? [String] == [])
        let deleted = try await world.kubeid.run(["cluster", "delete", "--name", "a", "--yes"])
        #expect(deleted.status == 0)
        #expect(try await world.kubeid.run(["cluster", "show", "--name", "a"]).status == 1)
    }

    @Test func getCredentialsMergesLikeAz() async throws {
        let world = try await Self.world()
        defer { world.kubeid.cleanUp() }
        _ = try await world.kubeid.json(["cluster", "create", "--tenant", "contoso", "--name", "dev", "--server", "https://10.0.0.1:6443",
                                         "--enable-aad", "--aad-admin-group-object-ids", world.groupID])
        let path = world.kubeid.scratch.appendingPathComponent("home/.kube/config").path
        // Another cluster already in the file stays; a different "dev" is a conflict.
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try """
        apiVersion: v1
        kind: Config
        clusters:
        - name: dev
          cluster: {server: "https://other:6443"}
        - name: other
          cluster: {server: "https://other:6443"}
        contexts:
        - name: other
          context: {cluster: other, user: other}
        users:
        - name: other
          user: {token: abc}
        current-context: other
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let conflict = try await world.kubeid.run(["cluster", "get-credentials", "--name", "dev", "--issuer-url", "https://idp.example.com"])
        #expect(conflict.status == 1)
        #expect(conflict.stderr == "Error: A different object named dev already exists in clusters in your kubeconfig file.\n")
        let merged = try await world.kubeid.run(["cluster", "get-credentials", "--name", "dev", "--issuer-url", "https://idp.example.com",
                                                 "--overwrite-existing"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == "Merged \"dev\" as current context in \(path)\n")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        let config = try KubeconfigYAMLReader.read(try String(contentsOfFile: path, encoding: .utf8))
        #expect(config.currentContext == "dev")
        #expect(config.clusters.map(\.name) == ["dev", "other"])
        #expect(config.context(named: "dev") == KubeconfigContext(cluster: "dev", user: "clusterUser_contoso_dev"))
        let exec = try #require(config.user(named: "clusterUser_contoso_dev")?.exec)
        #expect(exec.command == "kubelogin")
        #expect(exec.apiVersion == "client.authentication.k8s.io/v1beta1")
        #expect(exec.args == ["get-token", "--login", "devicecode", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630",
                              "--client-id", "80faf920-1908-4b52-b5ef-a8e7bedfc67a", "--tenant-id", world.tenantID,
                              "--environment", "AzurePublicCloud", "--authority-host", "https://idp.example.com/",
                              "--disable-instance-discovery"])
        #expect(exec.installHint.contains("kubelogin is not installed which is required to connect to AAD enabled cluster."))
        // Running it again changes nothing and needs no --overwrite-existing (identical entries).
        #expect(try await world.kubeid.run(["cluster", "get-credentials", "--name", "dev", "--issuer-url", "https://idp.example.com"]).status == 0)

        // KUBECONFIG's first file is the default; `--file -` prints instead.
        var environment = world.kubeid.environment
        let alternative = world.kubeid.scratch.appendingPathComponent("alt.yaml").path
        environment["KUBECONFIG"] = alternative + ":" + path
        let viaEnvironment = try await ProcessRunner.run(KubeID.binary, ["cluster", "get-credentials", "--name", "dev", "--admin",
                                                                         "--data-dir", world.kubeid.dataDirectory],
                                                         environment: environment, in: world.kubeid.scratch)
        #expect(viaEnvironment.stdout == "Merged \"dev-admin\" as current context in \(alternative)\n")
        let admin = try KubeconfigYAMLReader.read(try String(contentsOfFile: alternative, encoding: .utf8))
        #expect(admin.user(named: "clusterAdmin_contoso_dev")?.clientCertificateData.isEmpty == false)
        let printed = try await world.kubeid.run(["cluster", "get-credentials", "--name", "dev", "--file", "-", "--issuer-url", "https://idp.example.com"])
        #expect(printed.stdout.contains("current-context: dev"))
    }

    @Test func apiserverConfigWritesValidFiles() async throws {
        let world = try await Self.world()
        defer { world.kubeid.cleanUp() }
        _ = try await world.kubeid.json(["cluster", "create", "--tenant", "contoso", "--name", "dev", "--server", "https://10.0.0.1:6443",
                                         "--enable-aad", "--aad-admin-group-object-ids", world.groupID, "--enable-azure-rbac"])
        let directory = world.kubeid.scratch.appendingPathComponent("apiserver").path
        let ca = world.kubeid.scratch.appendingPathComponent("idp-ca.crt").path
        let caKey = try Cryptography.PrivateKey.generateP256()
        try Cryptography.Certificate.selfSigned(commonName: "idp CA", key: caKey, validFor: 3600, isCertificateAuthority: true).pem
            .write(toFile: ca, atomically: true, encoding: .utf8)
        let summary = try #require(try await world.kubeid.json(["cluster", "apiserver-config", "--name", "dev", "--dir", directory,
                                                                "--issuer-url", "https://idp.example.com", "--issuer-ca-file", ca]) as? [String: Any])
        #expect(Set(summary["files"] as? [String] ?? []) == ["authentication-config.yaml", "authn-webhook.kubeconfig", "authz-webhook.kubeconfig",
                                                              "client-ca.crt", "admin-clusterrolebinding.yaml", "flags.txt"])
        func mode(_ name: String) throws -> Int? {
            try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.posixPermissions] as? Int
        }
        #expect(try mode("authn-webhook.kubeconfig") == 0o600 && mode("authz-webhook.kubeconfig") == 0o600)
        #expect(try mode("client-ca.crt") == 0o644)

        // The AuthenticationConfiguration follows kube-apiserver's rules (Kubernetes structured
        // authentication configuration).
        let text = try String(contentsOfFile: directory + "/authentication-config.yaml", encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text))
        #expect(AuthenticationConfigurationRules.violations(document) == [])
        let jwt = try #require(((document as? [String: Any])?["jwt"] as? [[String: Any]])?.first)
        let issuer = try #require(jwt["issuer"] as? [String: Any])
        #expect(issuer["url"] as? String == "https://idp.example.com/\(world.tenantID)/")
        #expect(issuer["audiences"] as? [String] == ["6dae42f8-4368-4678-94ff-3960e28e3630"])
        #expect((issuer["certificateAuthority"] as? String)?.contains("BEGIN CERTIFICATE") == true)
        let mappings = try #require(jwt["claimMappings"] as? [String: Any])
        #expect((mappings["username"] as? [String: Any])?["expression"] as? String == "has(claims.upn) ? claims.upn : claims.oid")
        #expect((mappings["uid"] as? [String: Any])?["claim"] as? String == "oid")
        #expect((jwt["claimValidationRules"] as? [[String: Any]])?.first?["requiredValue"] as? String == world.tenantID)

        // The rules catch what kube-apiserver would refuse.
        var broken = try #require(document as? [String: Any])
        var brokenJWT = jwt
        brokenJWT["claimMappings"] = ["username": ["claim": "upn", "expression": "claims.upn"]]
        brokenJWT["issuer"] = ["url": "http://idp.example.com", "audiences": [String]()]
        broken["jwt"] = [brokenJWT]
        #expect(AuthenticationConfigurationRules.violations(broken) == [
            "jwt[0].issuer.url must be https without user info, query or fragment", "jwt[0].issuer.audiences required",
            "jwt[0].claimMappings.username: claim xor expression", "jwt[0].claimMappings.username: prefix required with claim"])

        // The webhook kubeconfigs point at this cluster's webhooks with the token and the CA.
        let authn = try KubeconfigYAMLReader.read(try String(contentsOfFile: directory + "/authn-webhook.kubeconfig", encoding: .utf8))
        #expect(authn.clusters.first?.cluster.server == "https://idp.example.com/webhooks/tenants/\(world.tenantID)/clusters/dev/tokenreview")
        #expect(authn.clusters.first?.cluster.certificateAuthorityData.isEmpty == false)
        let token = try #require(authn.users.first?.user.token)
        #expect(token.count >= 43)
        let authz = try KubeconfigYAMLReader.read(try String(contentsOfFile: directory + "/authz-webhook.kubeconfig", encoding: .utf8))
        #expect(authz.clusters.first?.cluster.server.hasSuffix("/clusters/dev/subjectaccessreview") == true)
        let flags = try String(contentsOfFile: directory + "/flags.txt", encoding: .utf8)
        for flag in ["--client-ca-file=\(directory)/client-ca.crt", "--authentication-token-webhook-version=v1",
                     "--authorization-mode=Node,RBAC,Webhook", "--authorization-webhook-version=v1"] {
            #expect(flags.contains(flag))
        }
        let binding = try #require(try Yams.load(yaml: try String(contentsOfFile: directory + "/admin-clusterrolebinding.yaml", encoding: .utf8)) as? [String: Any])
        #expect((binding["roleRef"] as? [String: Any])?["name"] as? String == "cluster-admin")
        #expect((binding["subjects"] as? [[String: Any]])?.first?["name"] as? String == world.groupID)

        // Running again in the same directory keeps the token.
        _ = try await world.kubeid.json(["cluster", "apiserver-config", "--name", "dev", "--dir", directory,
                                         "--issuer-url", "https://idp.example.com", "--issuer-ca-file", ca])
        let again = try KubeconfigYAMLReader.read(try String(contentsOfFile: directory + "/authn-webhook.kubeconfig", encoding: .utf8))
        #expect(again.users.first?.user.token == token)
    }

    @Test func aClusterWithItsOwnAudience() async throws {
        let world = try await Self.world()
        defer { world.kubeid.cleanUp() }
        func create(_ name: String, _ extra: [String] = []) async throws -> CLIResult {
            try await world.kubeid.run(["cluster", "create", "--tenant", "contoso", "--name", name, "--server", "https://10.0.0.1:6443",
                                        "--enable-aad", "--aad-admin-group-object-ids", world.groupID] + extra)
        }
        let own = try await create("cluster-x", ["--audience", "api://cluster-x"])
        #expect(own.status == 0, "\(own.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(own.stdout.utf8)) as? [String: Any])?["audience"] as? String == "api://cluster-x")
        let sharing = try await create("cluster-y")
        #expect((try JSONSerialization.jsonObject(with: Data(sharing.stdout.utf8)) as? [String: Any])?["audience"] is NSNull)
        // One audience belongs to one cluster.
        let taken = try await create("cluster-z", ["--audience", "api://cluster-x"])
        #expect(taken.status == 1)
        #expect(taken.stderr.hasPrefix("Error: ") && taken.stderr.contains("already the audience of another cluster"))

        // get-credentials: kubelogin asks for a token minted for the cluster's own audience.
        func execArguments(_ name: String) async throws -> String {
            let printed = try await world.kubeid.run(["cluster", "get-credentials", "--name", name, "--file", "-",
                                                      "--issuer-url", "https://idp.example.com"])
            let config = try KubeconfigYAMLReader.read(printed.stdout)
            return try #require(config.user(named: "clusterUser_contoso_\(name)")?.exec?.args).joined(separator: " ")
        }
        #expect(try await execArguments("cluster-x").contains("--server-id api://cluster-x "))
        #expect(try await execArguments("cluster-y").contains("--server-id 6dae42f8-4368-4678-94ff-3960e28e3630 "))

        // apiserver-config: each cluster's JWT authenticator names its own audience only, so
        // cluster-y's kube-apiserver refuses a token minted for cluster-x.
        func audiences(_ name: String) async throws -> [String] {
            let directory = world.kubeid.scratch.appendingPathComponent("apiserver-\(name)").path
            _ = try await world.kubeid.json(["cluster", "apiserver-config", "--name", name, "--dir", directory,
                                             "--issuer-url", "https://idp.example.com"])
            let document = try #require(try Yams.load(yaml: try String(contentsOfFile: directory + "/authentication-config.yaml",
                                                                       encoding: .utf8)))
            #expect(AuthenticationConfigurationRules.violations(document) == [])
            let jwt = try #require(((document as? [String: Any])?["jwt"] as? [[String: Any]])?.first)
            return try #require((jwt["issuer"] as? [String: Any])?["audiences"] as? [String])
        }
        #expect(try await audiences("cluster-x") == ["api://cluster-x"])
        #expect(try await audiences("cluster-y") == ["6dae42f8-4368-4678-94ff-3960e28e3630"])

        // update: another audience, or back to the shared one.
        let both = try await world.kubeid.run(["cluster", "update", "--name", "cluster-x", "--audience", "api://x2", "--shared-audience"])
        #expect(both.status != 0 && both.stderr.contains("--audience and --shared-audience exclude each other"))
        let moved = try await world.kubeid.json(["cluster", "update", "--name", "cluster-x", "--audience", "api://x2"]) as? [String: Any]
        #expect(moved?["audience"] as? String == "api://x2")
        #expect(try await create("cluster-z", ["--audience", "api://cluster-x"]).status == 0)
        let back = try await world.kubeid.json(["cluster", "update", "--name", "cluster-x", "--shared-audience"]) as? [String: Any]
        #expect(back?["audience"] is NSNull)
        #expect(try await execArguments("cluster-x").contains("--server-id 6dae42f8-4368-4678-94ff-3960e28e3630 "))
    }

    @Test func theJWTAuthenticatorRefusesIDTokensAndOtherTokenVersions() async throws {
        // CEL claimValidationRules (kube-apiserver 1.30+): what kubeid's cluster access tokens all
        // carry and its ID tokens do not. Tests/Interop evaluates them with a CEL engine on real tokens.
        let world = try await Self.world()
        defer { world.kubeid.cleanUp() }
        _ = try await world.kubeid.json(["cluster", "create", "--tenant", "contoso", "--name", "dev", "--server", "https://10.0.0.1:6443",
                                         "--enable-aad", "--aad-admin-group-object-ids", world.groupID])
        let directory = world.kubeid.scratch.appendingPathComponent("apiserver").path
        _ = try await world.kubeid.json(["cluster", "apiserver-config", "--name", "dev", "--dir", directory,
                                         "--issuer-url", "https://idp.example.com"])
        let document = try #require(try Yams.load(yaml: try String(contentsOfFile: directory + "/authentication-config.yaml", encoding: .utf8)))
        #expect(AuthenticationConfigurationRules.violations(document) == [])
        let jwt = try #require(((document as? [String: Any])?["jwt"] as? [[String: Any]])?.first)
        let rules = try #require(jwt["claimValidationRules"] as? [[String: Any]])
        #expect(rules.first as? [String: String] == ["claim": "tid", "requiredValue": world.tenantID])
        #expect(rules.dropFirst().compactMap { $0["expression"] as? String } == [
            "has(claims.ver) && claims.ver == '1.0'",
            "has(claims.appid) || has(claims.azp)",
            "has(claims.scp) || (has(claims.idtyp) && claims.idtyp == 'app')",
            "!has(claims.nonce)",
        ])
        #expect(rules.dropFirst().allSatisfy { !($0["message"] as? String ?? "").isEmpty })
    }

    @Test func roleCommands() async throws {
        let world = try await Self.world()
        defer { world.kubeid.cleanUp() }
        _ = try await world.kubeid.json(["cluster", "create", "--tenant", "contoso", "--name", "dev", "--server", "https://10.0.0.1:6443",
                                         "--enable-aad", "--aad-admin-group-object-ids", world.groupID, "--enable-azure-rbac"])
        let scope = "/tenants/\(world.tenantID)/clusters/dev/namespaces/dev"
        let created = try #require(try await world.kubeid.json(["role", "assignment", "create", "--role", "Azure Kubernetes Service RBAC Reader",
                                                                "--assignee", world.groupID, "--scope", scope]) as? [String: Any])
        #expect(created["principalType"] as? String == "Group")
        #expect(created["roleDefinitionName"] as? String == "Azure Kubernetes Service RBAC Reader")
        #expect(created["roleDefinitionId"] as? String == "/providers/Microsoft.Authorization/roleDefinitions/7f6c6a51-bcf8-42ba-9220-52d62157d7db")
        let id = try #require(created["id"] as? String)
        #expect(id.hasPrefix(scope + "/providers/Microsoft.Authorization/roleAssignments/"))
        let duplicate = try await world.kubeid.run(["role", "assignment", "create", "--role", "Azure Kubernetes Service RBAC Reader",
                                                    "--assignee", world.groupID, "--scope", scope])
        #expect(duplicate.status == 1)
        let badScope = try await world.kubeid.run(["role", "assignment", "create", "--role", "Azure Kubernetes Service RBAC Reader",
                                                   "--assignee", world.groupID, "--scope", "/subscriptions/x"])
        #expect(badScope.status == 1)
        let listed = try #require(try await world.kubeid.json(["role", "assignment", "list", "--scope", "/tenants/\(world.tenantID)/clusters/dev"]) as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [id])
        let definitions = try #require(try await world.kubeid.json(["role", "definition", "list"]) as? [[String: Any]])
        #expect(definitions.count == 4)
        let deleted = try await world.kubeid.run(["role", "assignment", "delete", "--ids", id])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try #require(try await world.kubeid.json(["role", "assignment", "list", "--tenant", "contoso"]) as? [Any]).isEmpty)
    }
}
