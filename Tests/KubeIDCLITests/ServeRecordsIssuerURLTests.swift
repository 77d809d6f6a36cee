import Foundation
import KubernetesTypes
import Testing

/// Admin commands that print URLs use the issuer URL `serve` was last started with on the same
/// store when they are not given `--issuer-url`.
@Suite("The store remembers serve's issuer URL")
struct ServeRecordsIssuerURLTests {
    // Seven CLI runs and a serve: generous, as the full suite runs every test at once.
    @Test(.timeLimit(.minutes(5)))
    func getCredentialsWithoutTheFlagUsesServesIssuerURL() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        _ = try await kubeid.json(["tenant", "create", "--name", "contoso"])
        let group = try #require(try await kubeid.json(["group", "create", "--tenant", "contoso",
                                                        "--display-name", "aks-admins"]) as? [String: Any])
        _ = try await kubeid.json(["cluster", "create", "--tenant", "contoso", "--name", "dev",
                                   "--server", "https://10.0.0.1:6443", "--enable-aad",
                                   "--aad-admin-group-object-ids", try #require(group["id"] as? String)])
        // Before any serve: the default.
        #expect(try await authorityHost(kubeid) == "https://127.0.0.1:8443/")

        let server = try await kubeid.startServe(["--issuer-url", "https://idp.example.test:9443"])
        server.signal(SIGTERM)
        #expect(await server.exitStatus(within: .seconds(10)) == 0, "\(server.stderr)")

        #expect(try await authorityHost(kubeid) == "https://idp.example.test:9443/")
        // The flag and KUBEID_ISSUER_URL still win.
        #expect(try await authorityHost(kubeid, ["--issuer-url", "https://other.example.test"]) == "https://other.example.test/")
        var environment = kubeid.environment
        environment["KUBEID_ISSUER_URL"] = "https://env.example.test"
        #expect(try await authorityHost(kubeid, environment: environment) == "https://env.example.test/")
    }

    /// The `--authority-host` kubelogin is given in the users' entries `get-credentials` prints.
    private func authorityHost(_ kubeid: KubeID, _ extra: [String] = [], environment: [String: String]? = nil,
                               sourceLocation: SourceLocation = #_sourceLocation) async throws -> String? {
        let result = try await ProcessRunner.run(KubeID.binary, ["cluster", "get-credentials", "--name", "dev", "--file", "-",
                                                                 "--data-dir", kubeid.dataDirectory] + extra,
                                                 environment: environment ?? kubeid.environment, in: kubeid.scratch)
        try #require(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        let config = try KubeconfigYAMLReader.read(result.stdout)
        let arguments = try #require(config.user(named: "clusterUser_contoso_dev")?.exec?.args, sourceLocation: sourceLocation)
        guard let index = arguments.firstIndex(of: "--authority-host"), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }
}
