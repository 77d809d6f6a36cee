import Foundation
import Testing
@testable import KubeLoginCore
import OAuthProtocol

/// The browser sign-in's loopback listener against hostile or broken local clients: it must
/// never crash, never read unbounded input, refuse redirects that do not carry this sign-in's
/// `state`, and hold both loopback addresses `localhost` can mean (RFC 8252 §7.3, §8.3).
@Suite("loopback listener")
struct LoopbackListenerTests {
    static let serverID = "6dae42f8-4368-4678-94ff-3960e28e3630"

    /// Runs an interactive get-token whose "browser" first plays `hostile` against the listener,
    /// then delivers the real redirect (over IPv6 when `deliverOverIPv6`).
    func signIn(deliverOverIPv6: Bool = false,
                _ hostile: @escaping @Sendable (_ port: Int, _ state: String) -> [[UInt8]]) async throws
        -> (stdout: String, responses: [String], fake: FakeEntra, browser: ScriptedBrowser) {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = FakeEntra { form in
            form["grant_type"] == "authorization_code" && form["code"] == "the-code"
                ? (200, FakeEntra.tokenJSON(access: "browser-token", refresh: "rt", user: "carol"))
                : (400, FakeEntra.errorJSON("invalid_grant", code: 501481))
        }
        var options = TokenOptions(defaultCacheDir: directory)
        options.loginMethod = LoginMode.interactive.rawValue
        options.serverID = Self.serverID
        options.clientID = "client-1"
        options.tenantID = FakeEntra.tenant
        options.authorityHost = FakeEntra.host
        options.disableInstanceDiscovery = true
        options.timeout = .seconds(20)
        let browser = ScriptedBrowser(deliverOverIPv6: deliverOverIPv6, hostile: hostile)
        let stdout = CapturedText()
        try await GetToken(options: options, environment: .test(transport: fake, stdout: stdout, stderr: CapturedText(), browser: browser)).run()
        return (stdout.text, browser.responses, fake, browser)
    }

    @Test("Content-Length -1, huge, non-numeric or a garbage request line: 400/413, no crash, then the real redirect")
    func malformedContentLength() async throws {
        let result = try await signIn { _, _ in
            [
                Array("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n".utf8),
                Array("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 9223372036854775807\r\n\r\ncode=x".utf8),
                Array("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999999\r\n\r\n".utf8),
                Array("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 12abc\r\n\r\n".utf8),
                Array("GARBAGE\r\n\r\n".utf8),
                [0xFF, 0x00, 0x0D, 0x0A, 0x0D, 0x0A],
            ]
        }
        #expect(result.stdout.contains(#""token":"browser-token""#))
        #expect(result.responses.map { String($0.prefix(12)) }
            == ["HTTP/1.1 400", "HTTP/1.1 413", "HTTP/1.1 413", "HTTP/1.1 400", "HTTP/1.1 400", "HTTP/1.1 400"])
    }

    @Test("oversized headers (431) and bodies (413) are refused without reading them; the sign-in goes on")
    func oversizedRequests() async throws {
        let result = try await signIn { _, _ in
            [
                Array("GET /?\(String(repeating: "a", count: 100 * 1024)) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8),
                Array("GET / HTTP/1.1\r\nHost: localhost\r\nX-Filler: \(String(repeating: "b", count: 100 * 1024))".utf8),
                Array("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1048576\r\n\r\n".utf8),
            ]
        }
        #expect(result.stdout.contains(#""token":"browser-token""#))
        #expect(result.responses.map { String($0.prefix(12)) } == ["HTTP/1.1 431", "HTTP/1.1 431", "HTTP/1.1 413"])
    }

    @Test("a redirect with a wrong or missing state is refused and the listener keeps waiting for the real one")
    func stateIsChecked() async throws {
        let result = try await signIn { _, _ in
            let forgedBody = "code=forged&state=wrong"
            return [
                Array("GET /?code=forged&state=wrong HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8),
                Array("GET /?code=forged HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8),
                Array("GET /?error=access_denied&state=wrong HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8),
                Array("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(forgedBody.utf8.count)\r\n\r\n\(forgedBody)".utf8),
                Array("GET /elsewhere HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8),
            ]
        }
        #expect(result.stdout.contains(#""token":"browser-token""#))
        #expect(result.responses.map { String($0.prefix(12)) }
            == ["HTTP/1.1 400", "HTTP/1.1 400", "HTTP/1.1 400", "HTTP/1.1 400", "HTTP/1.1 404"])
        #expect(result.fake.tokenRequests.map { $0["code"] } == ["the-code"], "a forged code is never redeemed")
    }

    @Test("the localhost redirect's port is held on [::1] too, so no other local user can take it",
          .enabled(if: LoopbackHTTP.hasIPv6Loopback))
    func holdsIPv6Loopback() async throws {
        let result = try await signIn(deliverOverIPv6: true) { _, _ in [] }
        #expect(result.stdout.contains(#""token":"browser-token""#))
        #expect(result.browser.couldBindIPv6 == false)
    }
}

/// Plays the browser: first the hostile requests (recording each answer), then the redirect
/// with this sign-in's state and the code `the-code`.
final class ScriptedBrowser: BrowserLauncher, @unchecked Sendable {
    private let deliverOverIPv6: Bool
    private let hostile: @Sendable (Int, String) -> [[UInt8]]
    private let lock = NSLock()
    private var recorded: [String] = []
    private var ipv6Bindable: Bool?

    init(deliverOverIPv6: Bool, hostile: @escaping @Sendable (Int, String) -> [[UInt8]]) {
        self.deliverOverIPv6 = deliverOverIPv6
        self.hostile = hostile
    }

    var responses: [String] { lock.withLock { recorded } }
    var couldBindIPv6: Bool? { lock.withLock { ipv6Bindable } }

    func open(_ url: String) -> Bool {
        let query = Dictionary(FormURLEncoding.decode(url.split(separator: "?", maxSplits: 1)[1]) ?? [], uniquingKeysWith: { a, _ in a })
        guard let redirect = query["redirect_uri"], let state = query["state"],
              let port = URLComponents(string: redirect)?.port else { return false }
        Thread.detachNewThread { [self] in
            for request in hostile(port, state) {
                let answer = LoopbackHTTP.exchange(port: port, raw: request) ?? "(no connection)"
                lock.withLock { recorded.append(answer) }
            }
            if deliverOverIPv6 {
                let bindable = LoopbackHTTP.canBindIPv6Loopback(port: port)
                lock.withLock { ipv6Bindable = bindable }
            }
            let redirectRequest = "GET /?code=the-code&state=\(FormURLEncoding.encode(state)) HTTP/1.1\r\nHost: localhost:\(port)\r\n\r\n"
            _ = LoopbackHTTP.exchange(port: port, raw: Array(redirectRequest.utf8), ipv6: deliverOverIPv6)
        }
        return true
    }
}
