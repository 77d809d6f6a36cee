import Foundation
import Testing

@Suite("kubeid tenant and data directory")
struct TenantCommandTests {
    @Test func tenantCreatePrintsJSONWithIDAndName() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let result = try await kubeid.run(["tenant", "create", "--name", "contoso"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.json() as? [String: Any])
        #expect(Set(object.keys) == ["id", "name"])
        #expect(object["name"] as? String == "contoso")
        let id = try #require(object["id"] as? String)
        #expect(UUID(uuidString: id) != nil)
        #expect(id == id.lowercased())

        let shown = try #require(try await kubeid.json(["tenant", "show", "--tenant", "CONTOSO"]) as? [String: Any])
        #expect(shown["id"] as? String == id)
        let listed = try #require(try await kubeid.json(["tenant", "list"]) as? [[String: Any]])
        #expect(listed.compactMap { $0["name"] as? String } == ["contoso"])
    }

    @Test func tableOutputPrintsAHeader() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let id = "3f1c7a2e-5b8d-4c6f-9a0e-2d4b6c8e0f11"
        let result = try await kubeid.run(["tenant", "create", "--name", "contoso", "--id", id, "-o", "table"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "\(result.stdout)")
        #expect(lines[0].split(separator: " ") == ["Id", "Name"])
        #expect(lines[1].allSatisfy { $0 == "-" || $0 == " " })
        #expect(lines[1].filter { $0 == "-" }.count == id.count + "contoso".count)
        #expect(lines[2].split(separator: " ") == [Substring(id), "contoso"])

        let tsv = try await kubeid.run(["tenant", "list", "--output", "tsv"])
        #expect(tsv.stdout.hasPrefix("\(id)\tcontoso\t"))
        // `-o` is the short form, as in `az`.
        let help = try await kubeid.run(["tenant", "list", "--help"], dataDir: false)
        #expect(help.stdout.contains("-o, --output <output>"))
    }

    @Test func unknownTenantIsAnErrorOnStderrWithStatus1() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let result = try await kubeid.run(["tenant", "show", "--tenant", "fabrikam"])
        #expect(result.status == 1)
        #expect(result.reason == .exit)
        #expect(result.stderr == "Error: tenant 'fabrikam' not found\n")
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [["tenant", "create", "--name", "contoso", "--bogus"], ["tenant", "create"],
                      ["tenant", "frobnicate"], ["tenant", "create", "--name", "contoso", "-o", "yaml"]])
    func badArgumentsAreAnErrorWithStatus1(_ arguments: [String]) async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let result = try await kubeid.run(arguments)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: ["common", "bad_name", "3f1c7a2e-5b8d-4c6f-9a0e-2d4b6c8e0f11"])
    func invalidTenantNamesAreRefused(_ name: String) async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let result = try await kubeid.run(["tenant", "create", "--name", name])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: tenant name '\(name)' is not valid"), "\(result.stderr)")
    }

    @Test func duplicateTenantIsRefused() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        _ = try await kubeid.json(["tenant", "create", "--name", "contoso"])
        let result = try await kubeid.run(["tenant", "create", "--name", "Contoso"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: a tenant with id"), "\(result.stderr)")
    }

    @Test func helpAndVersionExit0() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let help = try await kubeid.run(["--help"], dataDir: false)
        #expect(help.status == 0)
        #expect(help.stdout.contains("serve"))
        let version = try await kubeid.run(["--version"], dataDir: false)
        #expect(version.status == 0)
        #expect(version.stdout == "0.1.0\n")
    }

    @Test func theDataDirectoryAndItsSecretsArePrivate() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        _ = try await kubeid.json(["tenant", "create", "--name", "contoso"])
        #expect(try posixMode(of: kubeid.dataDirectory) == 0o700)
        #expect(try posixMode(of: "\(kubeid.dataDirectory)/kubeid.sqlite") == 0o600)
        #expect(try posixMode(of: "\(kubeid.dataDirectory)/secret-hash.key") == 0o600)
        let key = try String(contentsOfFile: "\(kubeid.dataDirectory)/secret-hash.key", encoding: .utf8)
        #expect(Data(base64Encoded: key.trimmingCharacters(in: .whitespacesAndNewlines))?.count == 32)
        // No temporary files are left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: kubeid.dataDirectory)
        #expect(names.allSatisfy { !$0.contains(".tmp-") }, "\(names)")
    }

    @Test func theDataDirectoryComesFromTheEnvironmentWhenNoFlagIsGiven() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        var environment = kubeid.environment
        environment["KUBEID_DATA_DIR"] = kubeid.dataDirectory
        let created = try await ProcessRunner.run(KubeID.binary, ["tenant", "create", "--name", "contoso"],
                                                  environment: environment, in: kubeid.scratch)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(kubeid.dataDirectory)/kubeid.sqlite"))
        let shown = try await kubeid.run(["tenant", "show", "--tenant", "contoso"])
        #expect(shown.status == 0)
    }
}
