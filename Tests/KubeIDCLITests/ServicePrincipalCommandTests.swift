import Foundation
import Testing

@Suite("kubeid sp, group and app")
struct ServicePrincipalCommandTests {
    @Test func createForRBACThenShowListsTheSecretsHintButNeverThePassword() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let tenant = try #require(try await kubeid.json(["tenant", "create", "--name", "contoso"]) as? [String: Any])
        let created = try #require(try await kubeid.json(["sp", "create-for-rbac", "--tenant", "contoso",
                                                          "--name", "pipeline"]) as? [String: Any])
        #expect(Set(created.keys) == ["appId", "displayName", "password", "tenant"])
        #expect(created["tenant"] as? String == tenant["id"] as? String)
        #expect(created["displayName"] as? String == "pipeline")
        let appID = try #require(created["appId"] as? String)
        let password = try #require(created["password"] as? String)
        #expect(password.count >= 49)

        let show = try await kubeid.run(["sp", "show", "--tenant", "contoso", "--id", appID])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(!show.stdout.contains(password))
        #expect(!show.stdout.contains(String(password.dropFirst(6))))
        let principal = try #require(try show.json() as? [String: Any])
        #expect(principal["appId"] as? String == appID)
        #expect(principal["password"] == nil)
        let secrets = try #require(principal["passwordCredentials"] as? [[String: Any]])
        try #require(secrets.count == 1)
        #expect(Set(secrets[0].keys) == ["keyId", "hint", "startDateTime", "endDateTime"])
        let hint = try #require(secrets[0]["hint"] as? String)
        #expect(hint.count == 3)
        #expect(hint == String(password.prefix(3)))
        #expect((principal["keyCredentials"] as? [Any])?.isEmpty == true)

        // The database file holds only the hash.
        let database = try Data(contentsOf: URL(fileURLWithPath: "\(kubeid.dataDirectory)/kubeid.sqlite"))
        #expect(database.range(of: Data(password.utf8)) == nil)
    }

    @Test func createCertWritesAPrivatePEMFile() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        _ = try await kubeid.json(["tenant", "create", "--name", "contoso"])
        let output = kubeid.scratch.appendingPathComponent("certs").path
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let created = try #require(try await kubeid.json(["sp", "create-for-rbac", "--tenant", "contoso", "--name", "cert",
                                                          "--create-cert", "--cert-output-dir", output]) as? [String: Any])
        #expect(created["password"] == nil)
        let file = try #require(created["fileWithCertAndPrivateKey"] as? String)
        #expect(file.hasPrefix(output + "/"))
        #expect(try posixMode(of: file) == 0o600)
        let pem = try String(contentsOfFile: file, encoding: .utf8)
        #expect(pem.contains("-----BEGIN PRIVATE KEY-----") && pem.contains("-----BEGIN CERTIFICATE-----"))

        let shown = try #require(try await kubeid.json(["sp", "show", "--tenant", "contoso",
                                                        "--id", created["appId"] as? String ?? ""]) as? [String: Any])
        let certificates = try #require(shown["keyCredentials"] as? [[String: Any]])
        #expect(certificates.count == 1)
        #expect((certificates.first?["customKeyIdentifier"] as? String)?.count == 40)
        #expect((shown["passwordCredentials"] as? [Any])?.isEmpty == true)
    }

    @Test func groupMemberAddWithAnUnknownMemberFails() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        _ = try await kubeid.json(["tenant", "create", "--name", "contoso"])
        let group = try #require(try await kubeid.json(["group", "create", "--tenant", "contoso",
                                                        "--display-name", "k8s-admins"]) as? [String: Any])
        let groupID = try #require(group["id"] as? String)
        let unknown = "9d6e1f4a-2b3c-4d5e-8f70-a1b2c3d4e5f6"
        let result = try await kubeid.run(["group", "member", "add", "--tenant", "contoso", "--group", groupID,
                                           "--member-id", unknown])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: no "), "\(result.stderr)")
        #expect(result.stderr.contains("with object id '\(unknown)' in tenant 'contoso'"), "\(result.stderr)")
        let members = try #require(try await kubeid.json(["group", "member", "list", "--tenant", "contoso",
                                                          "--group", groupID]) as? [Any])
        #expect(members.isEmpty)
    }

    @Test func groupMembershipAndFilterWorkEndToEnd() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        _ = try await kubeid.json(["tenant", "create", "--name", "contoso"])
        let outer = try #require(try await kubeid.json(["group", "create", "--tenant", "contoso",
                                                        "--display-name", "outer"]) as? [String: Any])
        let inner = try #require(try await kubeid.json(["group", "create", "--tenant", "contoso",
                                                        "--display-name", "inner"]) as? [String: Any])
        let outerID = try #require(outer["id"] as? String)
        let innerID = try #require(inner["id"] as? String)
        let add = try await kubeid.run(["group", "member", "add", "--tenant", "contoso", "--group", outerID,
                                        "--member-id", innerID])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.isEmpty)
        let cycle = try await kubeid.run(["group", "member", "add", "--tenant", "contoso", "--group", innerID,
                                          "--member-id", outerID])
        #expect(cycle.status == 1)
        #expect(cycle.stderr.contains("cycle"))

        let filtered = try #require(try await kubeid.json(["group", "list", "--tenant", "contoso",
                                                           "--filter", "displayName eq 'inner'"]) as? [[String: Any]])
        #expect(filtered.compactMap { $0["id"] as? String } == [innerID])
        let unsupported = try await kubeid.run(["group", "list", "--tenant", "contoso", "--filter", "id eq 'x'"])
        #expect(unsupported.status == 1)
        #expect(unsupported.stderr.hasPrefix("Error: unsupported --filter"))
    }

    @Test func federatedCredentialIssuerMustBeHTTPS() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        _ = try await kubeid.json(["tenant", "create", "--name", "contoso"])
        let created = try #require(try await kubeid.json(["sp", "create-for-rbac", "--tenant", "contoso",
                                                          "--name", "wl"]) as? [String: Any])
        let appID = try #require(created["appId"] as? String)
        let refused = try await kubeid.run(["sp", "federated-credential", "create", "--tenant", "contoso", "--id", appID,
                                            "--issuer", "http://k8s.example.test",
                                            "--subject", "system:serviceaccount:default:wl"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("Error: --issuer must be an https URL"), "\(refused.stderr)")
        let accepted = try #require(try await kubeid.json([
            "sp", "federated-credential", "create", "--tenant", "contoso", "--id", appID,
            "--issuer", "https://k8s.example.test", "--subject", "system:serviceaccount:default:wl"]) as? [String: Any])
        #expect(accepted["audiences"] as? [String] == ["api://AzureADTokenExchange"])
    }
}
