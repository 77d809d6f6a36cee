import Foundation
import KubernetesTypes
import Testing
@testable import KubeLoginCore

/// kubectl re-runs the plugin once `status.expirationTimestamp` has passed, so the timestamp is
/// the token's `exp` minus 30 s: a token is replaced before the API server would refuse it.
/// The cache's own reuse rule (until 5 minutes before `exp`) is separate and unchanged.
@Suite("ExecCredential expirationTimestamp")
struct ExecCredentialExpiryTests {
    static let serverID = "6dae42f8-4368-4678-94ff-3960e28e3630"
    static let now: Int64 = 1_700_000_000

    func options(_ directory: String) -> TokenOptions {
        var options = TokenOptions(defaultCacheDir: directory)
        options.loginMethod = LoginMode.servicePrincipal.rawValue
        options.serverID = Self.serverID
        options.clientID = "client-1"
        options.clientSecret = "s"
        options.tenantID = FakeEntra.tenant
        options.authorityHost = FakeEntra.host
        options.disableInstanceDiscovery = true
        return options
    }

    @Test("a new token: exp − 30 s")
    func newToken() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = FakeEntra { _ in (200, FakeEntra.tokenJSON(access: "new", expiresIn: 3600)) }
        let stdout = CapturedText()
        try await GetToken(options: options(directory), environment: .test(
            transport: fake, stdout: stdout, stderr: CapturedText(), now: { Date(timeIntervalSince1970: TimeInterval(Self.now)) })).run()
        #expect(stdout.text.contains(#""expirationTimestamp":"\#(RFC3339.utcSeconds(Self.now + 3600 - 30))""#))
        // The cache keeps the real expiry; only what kubectl is told moves.
        let key = TokenCacheKey(authority: "idp.test", tenant: FakeEntra.tenant, clientID: "client-1",
                                resource: "\(Self.serverID)/.default", loginMode: .servicePrincipal)
        #expect(try FileTokenCache(cacheDirectory: directory).read(key)?.expiresOn == Self.now + 3600)
    }

    @Test("a cache hit, on the full path and the fast path: exp − 30 s; reuse still ends 5 minutes before exp")
    func cachedToken() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = TokenCacheKey(authority: "idp.test", tenant: FakeEntra.tenant, clientID: "client-1",
                                resource: "\(Self.serverID)/.default", loginMode: .servicePrincipal)
        try FileTokenCache(cacheDirectory: directory).write(TokenCacheEntry(key: key, token: AcquiredToken(
            accessToken: "cached", expiresOn: Self.now + 310)))
        let expected = #""expirationTimestamp":"\#(RFC3339.utcSeconds(Self.now + 310 - 30))""#
        let fake = FakeEntra { _ in (200, FakeEntra.tokenJSON(access: "new", expiresIn: 3600)) }
        let stdout = CapturedText()
        try await GetToken(options: options(directory), environment: .test(
            transport: fake, stdout: stdout, stderr: CapturedText(), now: { Date(timeIntervalSince1970: TimeInterval(Self.now)) })).run()
        #expect(stdout.text.contains(#""token":"cached""#))
        #expect(stdout.text.contains(expected))
        #expect(fake.requests.isEmpty)

        let environment = ProcessEnvironment(["HOME": directory])
        let fast = try #require(CacheHit.credentialLine(options: options(directory), environment: environment,
                                                        now: Date(timeIntervalSince1970: TimeInterval(Self.now))))
        #expect(fast == stdout.text)
        // 299 s before exp the entry is no longer reused (the 5-minute rule), on either path.
        #expect(CacheHit.credentialLine(options: options(directory), environment: environment,
                                        now: Date(timeIntervalSince1970: TimeInterval(Self.now + 11))) == nil)
    }
}
