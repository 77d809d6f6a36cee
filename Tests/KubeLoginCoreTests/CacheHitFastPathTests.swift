import Foundation
import Testing
@testable import KubeLoginCLI
@testable import KubeLoginCore

/// The synchronous cache-hit path must answer exactly as the full get-token would, and step
/// aside whenever it is not sure.
@Suite("get-token cache-hit fast path")
struct CacheHitFastPathTests {
    static let serverID = "6dae42f8-4368-4678-94ff-3960e28e3630"

    func seed(_ directory: String, expiresIn: Int64) throws {
        let key = TokenCacheKey(authority: "idp.test", tenant: FakeEntra.tenant, clientID: "client-1",
                                resource: "\(Self.serverID)/.default", loginMode: .servicePrincipal)
        try FileTokenCache(cacheDirectory: directory).write(TokenCacheEntry(key: key, token: AcquiredToken(
            accessToken: "cached", expiresOn: Int64(Date().timeIntervalSince1970) + expiresIn)))
    }

    func arguments(_ directory: String, extra: [String] = []) -> [String] {
        ["get-token", "--login=spn", "--server-id", Self.serverID, "--client-id", "client-1", "--client-secret", "s",
         "-t", FakeEntra.tenant, "--authority-host", FakeEntra.host, "--disable-instance-discovery", "--cache-dir", directory] + extra
    }

    @Test("same bytes as the full path on a hit")
    func sameOutput() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try seed(directory, expiresIn: 3600)
        let environment = ProcessEnvironment(["HOME": directory, "KUBERNETES_EXEC_INFO": #"{"apiVersion":"client.authentication.k8s.io/v1"}"#])
        let fast = CapturedText()
        #expect(GetTokenFastPath.run(arguments(directory), environment: environment, output: fast))
        let options = try #require(GetTokenFastPath.parse(arguments(directory).dropFirst(), environment: environment))
        let slow = CapturedText()
        let fake = FakeEntra { _ in (500, "") }
        try await GetToken(options: options, environment: PluginEnvironment(
            variables: environment, transport: fake, browser: NoBrowser(), commandRunner: NoCommands(),
            standardOutput: slow, standardError: CapturedText())).run()
        #expect(fast.text == slow.text)
        #expect(fast.text.contains(#""apiVersion":"client.authentication.k8s.io/v1""#))
        #expect(fake.requests.isEmpty)
    }

    @Test("steps aside on a near-expiry entry, unknown flags, -v, or an invalid exec info")
    func declines() throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try seed(directory, expiresIn: 3600)
        let environment = ProcessEnvironment(["HOME": directory])
        #expect(!GetTokenFastPath.run(arguments(directory, extra: ["--bogus"]), environment: environment, output: CapturedText()))
        #expect(!GetTokenFastPath.run(arguments(directory, extra: ["-v", "5"]), environment: environment, output: CapturedText()))
        #expect(!GetTokenFastPath.run(arguments(directory), environment: ProcessEnvironment(["HOME": directory, "KUBERNETES_EXEC_INFO": "{"]),
                                      output: CapturedText()))
        #expect(!GetTokenFastPath.run(arguments(directory), environment: ProcessEnvironment(["HOME": directory, "AZURE_CLIENT_ID": "other"]),
                                      output: CapturedText()))
        try seed(directory, expiresIn: 120)
        #expect(!GetTokenFastPath.run(arguments(directory), environment: environment, output: CapturedText()))
    }
}
