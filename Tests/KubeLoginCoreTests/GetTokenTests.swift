import Foundation
import Testing
@testable import KubeLoginCore
import OAuthProtocol

/// get-token against an in-process fake authority: every mode's wire requests, the cache
/// policy (reuse → refresh → prompt), and what goes to stdout and stderr.
@Suite("get-token")
struct GetTokenTests {
    static let serverID = "6dae42f8-4368-4678-94ff-3960e28e3630"

    func options(_ mode: LoginMode, cacheDir: String, _ configure: (inout TokenOptions) -> Void = { _ in }) -> TokenOptions {
        var options = TokenOptions(defaultCacheDir: cacheDir)
        options.loginMethod = mode.rawValue
        options.serverID = Self.serverID
        options.clientID = "client-1"
        options.tenantID = FakeEntra.tenant
        options.authorityHost = FakeEntra.host
        options.disableInstanceDiscovery = true
        configure(&options)
        return options
    }

    @Test("spn with a secret: one client_credentials request, then the cache answers")
    func servicePrincipalSecret() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = FakeEntra { _ in (200, FakeEntra.tokenJSON(access: "app-token")) }
        let stdout = CapturedText()
        let stderr = CapturedText()
        let options = options(.servicePrincipal, cacheDir: directory) { $0.clientSecret = "s3cret" }
        try await GetToken(options: options, environment: .test(transport: fake, stdout: stdout, stderr: stderr)).run()
        try await GetToken(options: options, environment: .test(transport: fake, stdout: stdout, stderr: stderr)).run()

        #expect(fake.tokenRequests.count == 1)
        let form = try #require(fake.tokenRequests.first)
        #expect(form["grant_type"] == "client_credentials")
        #expect(form["client_secret"] == "s3cret")
        #expect(form["scope"] == "\(Self.serverID)/.default")
        let lines = stdout.text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix(#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false},"status":{"expirationTimestamp":""#) })
        #expect(lines.allSatisfy { $0.hasSuffix(#""token":"app-token"}}"#) })
        #expect(stderr.text.isEmpty)
    }

    @Test("an OAuth error is reported with its first line only (no trace trailer)")
    func oauthErrorMessage() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = FakeEntra { _ in (401, FakeEntra.errorJSON("invalid_client", code: 7000215)) }
        let options = options(.servicePrincipal, cacheDir: directory) { $0.clientSecret = "wrong" }
        await #expect(throws: KubeLoginError("failed to get token: ClientSecretCredential: invalid_client: AADSTS7000215: something.")) {
            try await GetToken(options: options, environment: .test(transport: fake, stdout: CapturedText(), stderr: CapturedText())).run()
        }
    }

    @Test("KUBERNETES_EXEC_INFO v1 is echoed; an unknown version fails after the token")
    func execInfoVersions() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = FakeEntra { _ in (200, FakeEntra.tokenJSON(access: "tok")) }
        let options = options(.servicePrincipal, cacheDir: directory) { $0.clientSecret = "s" }
        let stdout = CapturedText()
        try await GetToken(options: options, environment: .test(
            transport: fake, variables: ["KUBERNETES_EXEC_INFO": #"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#],
            stdout: stdout, stderr: CapturedText())).run()
        #expect(stdout.text.hasPrefix(#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec""#))
        await #expect(throws: KubeLoginError("api version: client.authentication.k8s.io/v2 is not supported")) {
            try await GetToken(options: options, environment: .test(
                transport: fake, variables: ["KUBERNETES_EXEC_INFO": #"{"apiVersion":"client.authentication.k8s.io/v2"}"#],
                stdout: CapturedText(), stderr: CapturedText())).run()
        }
    }

    @Test("device code: the message goes to stderr only, pending polls continue, auth.json is written")
    func deviceCode() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let polls = Counter()
        let fake = FakeEntra { form in
            guard form["grant_type"] == "device_code", form["device_code"] == "dc-1" else { return (400, FakeEntra.errorJSON("invalid_request", code: 900144)) }
            return polls.next() < 2 ? (400, FakeEntra.errorJSON("authorization_pending", code: 70016))
                : (200, FakeEntra.tokenJSON(access: "user-token", refresh: "rt-1", user: "alice@example.test"))
        }
        let stdout = CapturedText()
        let stderr = CapturedText()
        try await GetToken(options: options(.deviceCode, cacheDir: directory), environment: .test(transport: fake, stdout: stdout, stderr: stderr)).run()
        #expect(stderr.text == "To sign in, use a web browser to open the page https://idp.test/device and enter the code ABCD1234 to authenticate.\n")
        #expect(stdout.text.contains(#""token":"user-token""#))
        #expect(!stdout.text.contains("To sign in"))
        let device = try #require(fake.requests.first { $0.url.hasSuffix("/devicecode") })
        #expect(FakeEntra.form(device)["scope"] == "\(Self.serverID)/.default openid offline_access profile")
        #expect(polls.value == 3)
        let record = try String(contentsOfFile: directory + "/auth.json", encoding: .utf8)
        #expect(record == #"{"authority":"idp.test","clientId":"client-1","homeAccountId":"uid-1.tenant-1","tenantId":"tenant-1","username":"alice@example.test","version":"1.0"}"#)
    }

    @Test("an access token within 5 minutes of expiry is refreshed silently; refresh tokens rotate")
    func refreshBeforeExpiry() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = FakeEntra { form in
            switch form["grant_type"] {
            case "device_code": return (200, FakeEntra.tokenJSON(access: "first", expiresIn: 200, refresh: "rt-1", user: "alice"))
            case "refresh_token" where form["refresh_token"] == "rt-1":
                return (200, FakeEntra.tokenJSON(access: "second", refresh: "rt-2", user: "alice"))
            default: return (400, FakeEntra.errorJSON("invalid_grant", code: 70008))
            }
        }
        let stderr = CapturedText()
        let options = options(.deviceCode, cacheDir: directory)
        try await GetToken(options: options, environment: .test(transport: fake, stdout: CapturedText(), stderr: stderr)).run()
        let stdout = CapturedText()
        try await GetToken(options: options, environment: .test(transport: fake, stdout: stdout, stderr: stderr)).run()
        #expect(stdout.text.contains(#""token":"second""#))
        #expect(fake.tokenRequests.map { $0["grant_type"] } == ["device_code", "refresh_token"])
        #expect(fake.tokenRequests[1]["scope"] == "\(Self.serverID)/.default openid offline_access profile")
        let entry = try #require(try FileTokenCache(cacheDirectory: directory).read(
            TokenCacheKey(authority: "idp.test", tenant: FakeEntra.tenant, clientID: "client-1", resource: "\(Self.serverID)/.default", loginMode: .deviceCode)))
        #expect(entry.refreshToken == "rt-2")
        #expect(stderr.text.components(separatedBy: "To sign in").count == 2, "one prompt only")
    }

    @Test("an expired refresh token leads to a new prompt")
    func expiredRefreshTokenPrompts() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = FileTokenCache(cacheDirectory: directory)
        let key = TokenCacheKey(authority: "idp.test", tenant: FakeEntra.tenant, clientID: "client-1", resource: "\(Self.serverID)/.default", loginMode: .deviceCode)
        try cache.write(TokenCacheEntry(key: key, token: AcquiredToken(accessToken: "old", expiresOn: Int64(Date().timeIntervalSince1970) - 10, refreshToken: "stale-rt")))
        let fake = FakeEntra { form in
            form["grant_type"] == "refresh_token"
                ? (400, FakeEntra.errorJSON("invalid_grant", code: 700082))
                : (200, FakeEntra.tokenJSON(access: "fresh", refresh: "rt-new", user: "alice"))
        }
        let stdout = CapturedText()
        let stderr = CapturedText()
        try await GetToken(options: options(.deviceCode, cacheDir: directory), environment: .test(transport: fake, stdout: stdout, stderr: stderr)).run()
        #expect(fake.tokenRequests.map { $0["grant_type"] } == ["refresh_token", "device_code"])
        #expect(stderr.text.hasPrefix("To sign in"))
        #expect(!stderr.text.contains("stale-rt"))
        #expect(stdout.text.contains(#""token":"fresh""#))
        #expect(try cache.read(key)?.refreshToken == "rt-new")
    }

    @Test("ropc sends the password grant; the username keys the cache entry")
    func resourceOwnerPassword() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = FakeEntra { _ in (200, FakeEntra.tokenJSON(access: "ropc-token", refresh: "rt", user: "bob")) }
        let stdout = CapturedText()
        let options = options(.resourceOwnerPassword, cacheDir: directory) {
            $0.username = "bob@example.test"
            $0.password = "pw"
        }
        try await GetToken(options: options, environment: .test(transport: fake, stdout: stdout, stderr: CapturedText())).run()
        let form = try #require(fake.tokenRequests.first)
        #expect(form["grant_type"] == "password")
        #expect(form["username"] == "bob@example.test")
        #expect(form["password"] == "pw")
        #expect(form["client_info"] == "1")
        #expect(try FileTokenCache(cacheDirectory: directory).read(TokenCacheKey(
            authority: "idp.test", tenant: FakeEntra.tenant, clientID: "client-1", resource: "\(Self.serverID)/.default",
            loginMode: .resourceOwnerPassword, user: "bob@example.test")) != nil)
    }

    @Test("workload identity posts the federated token file as the client assertion")
    func workloadIdentity() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "sa-token\n".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        let fake = FakeEntra { _ in (200, FakeEntra.tokenJSON(access: "wi-token")) }
        var options = TokenOptions(defaultCacheDir: directory)
        options.loginMethod = "workloadidentity"
        options.serverID = Self.serverID
        options.disableInstanceDiscovery = true
        let stdout = CapturedText()
        try await GetToken(options: options, environment: .test(transport: fake, variables: [
            "AZURE_CLIENT_ID": "wi-client", "AZURE_TENANT_ID": FakeEntra.tenant, "AZURE_FEDERATED_TOKEN_FILE": directory + "/token",
            "AZURE_AUTHORITY_HOST": FakeEntra.host,
        ], stdout: stdout, stderr: CapturedText())).run()
        let form = try #require(fake.tokenRequests.first)
        #expect(form["client_assertion"] == "sa-token")
        #expect(form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        #expect(form["client_id"] == "wi-client")
        #expect(stdout.text.contains("wi-token"))
    }

    @Test("the browser flow: PKCE, state checked, the loopback redirect redeemed")
    func interactive() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = FakeEntra { form in
            form["grant_type"] == "authorization_code" && form["code"] == "the-code" && (form["code_verifier"]?.count ?? 0) == 43
                ? (200, FakeEntra.tokenJSON(access: "browser-token", refresh: "rt", user: "carol"))
                : (400, FakeEntra.errorJSON("invalid_grant", code: 501481))
        }
        let stdout = CapturedText()
        let options = options(.interactive, cacheDir: directory) { $0.loginHint = "carol@example.test" }
        let browser = RedirectingBrowser(code: "the-code")
        try await GetToken(options: options, environment: .test(transport: fake, stdout: stdout, stderr: CapturedText(), browser: browser)).run()
        #expect(stdout.text.contains("browser-token"))
        let opened = try #require(browser.openedURL)
        #expect(opened.hasPrefix("https://idp.test/tenant-1/oauth2/v2.0/authorize?client_id=client-1&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A"))
        #expect(opened.contains("code_challenge_method=S256"))
        #expect(opened.contains("login_hint=carol%40example.test"))
        #expect(fake.tokenRequests.first?["redirect_uri"]?.hasPrefix("http://localhost:") == true)
    }

    @Test("checks and messages before any network use", arguments: [
        (LoginMode.deviceCode, "", "failed to create azidentity credential: client ID cannot be empty"),
        (LoginMode.servicePrincipal, "client", "failed to create azidentity credential: client secret cannot be empty"),
        (LoginMode.resourceOwnerPassword, "client", "failed to create azidentity credential: username cannot be empty"),
        (LoginMode.workloadIdentity, "client", "failed to create azidentity credential: federated token file cannot be empty"),
    ])
    func constructionErrors(mode: LoginMode, clientID: String, message: String) async throws {
        let fake = FakeEntra { _ in (500, "") }
        var options = TokenOptions(defaultCacheDir: "/nonexistent")
        options.loginMethod = mode.rawValue
        options.serverID = Self.serverID
        options.clientID = clientID
        options.tenantID = "t"
        await #expect(throws: KubeLoginError(message)) {
            try await GetToken(options: options, environment: .test(transport: fake, stdout: CapturedText(), stderr: CapturedText())).run()
        }
        #expect(fake.requests.isEmpty)
    }

    @Test("server-id is required; unsupported modes say what this build lacks")
    func requiredAndUnsupported() async throws {
        let fake = FakeEntra { _ in (500, "") }
        var options = TokenOptions(defaultCacheDir: "/nonexistent")
        await #expect(throws: KubeLoginError.serverIDRequired) {
            try await GetToken(options: options, environment: .test(transport: fake, stdout: CapturedText(), stderr: CapturedText())).run()
        }
        options.serverID = Self.serverID
        for mode in ["msi", "azurepipelines"] {
            options.loginMethod = mode
            do {
                try await GetToken(options: options, environment: .test(transport: fake, stdout: CapturedText(), stderr: CapturedText())).run()
                Issue.record("\(mode) should fail")
            } catch let error as KubeLoginError {
                #expect(error.message.contains("is not supported by this build of kubelogin"))
            }
        }
    }

    @Test("--timeout bounds the whole run, device prompt included")
    func timeout() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = FakeEntra { _ in (400, FakeEntra.errorJSON("authorization_pending", code: 70016)) }
        let environment = PluginEnvironment(variables: ProcessEnvironment(["HOME": "/nonexistent"]), transport: fake, browser: NoBrowser(),
                                            commandRunner: NoCommands(), standardOutput: CapturedText(), standardError: CapturedText())
        let options = options(.deviceCode, cacheDir: directory) { $0.timeout = .milliseconds(1500) }
        let started = ContinuousClock.now
        await #expect(throws: KubeLoginError("failed to authenticate: DeviceCodeCredential: context deadline exceeded")) {
            try await GetToken(options: options, environment: environment).run()
        }
        // Without the timeout the fake would keep the device flow pending for its whole 900 s lifetime;
        // the bound is loose because the full suite runs many tests in parallel on 2 cores.
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}

/// Counts calls across threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    /// Returns the count before this call.
    func next() -> Int { lock.withLock { defer { count += 1 }; return count } }
    var value: Int { lock.withLock { count } }
}

/// Plays the user's browser: reads the authorize URL and calls the loopback redirect with a code.
final class RedirectingBrowser: BrowserLauncher, @unchecked Sendable {
    let code: String
    private let lock = NSLock()
    private var opened: String?

    init(code: String) { self.code = code }
    var openedURL: String? { lock.withLock { opened } }

    func open(_ url: String) -> Bool {
        lock.withLock { opened = url }
        let query = Dictionary(FormURLEncoding.decode(url.split(separator: "?", maxSplits: 1)[1]) ?? [], uniquingKeysWith: { a, _ in a })
        guard let redirect = query["redirect_uri"], let state = query["state"],
              let port = URLComponents(string: redirect)?.port else { return false }
        Thread.detachNewThread { [code] in
            _ = LoopbackHTTP.get(port: port, target: "/?code=\(code)&state=\(FormURLEncoding.encode(state))")
        }
        return true
    }
}
