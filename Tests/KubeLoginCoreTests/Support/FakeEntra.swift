import Foundation
@testable import KubeLoginCore
import OAuthProtocol

/// An in-process stand-in for an Entra-compatible authority: answers discovery, device code,
/// token and refresh requests from closures, and records every request (thread-safe).
final class FakeEntra: HTTPTransport, @unchecked Sendable {
    static let host = "https://idp.test/"
    static let tenant = "tenant-1"

    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    /// Called for token-endpoint POSTs with the decoded form; return (status, JSON body).
    var tokenHandler: @Sendable ([String: String]) -> (Int, String)
    var deviceCodeHandler: @Sendable ([String: String]) -> (Int, String) = { _ in
        (200, #"{"device_code":"dc-1","user_code":"ABCD1234","verification_uri":"https://idp.test/device","expires_in":900,"interval":1,"message":"To sign in, use a web browser to open the page https://idp.test/device and enter the code ABCD1234 to authenticate."}"#)
    }

    init(tokenHandler: @escaping @Sendable ([String: String]) -> (Int, String)) {
        self.tokenHandler = tokenHandler
    }

    var requests: [HTTPRequest] { lock.withLock { recorded } }
    var tokenRequests: [[String: String]] {
        requests.filter { $0.url.hasSuffix("/oauth2/v2.0/token") }.map { Self.form($0) }
    }

    static func form(_ request: HTTPRequest) -> [String: String] {
        Dictionary(FormURLEncoding.decode(bytes: request.body) ?? [], uniquingKeysWith: { first, _ in first })
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { recorded.append(request) }
        let base = Self.host + Self.tenant
        if request.url == base + "/v2.0/.well-known/openid-configuration" {
            return HTTPResponse(status: 200, body: Array("""
            {"token_endpoint":"\(base)/oauth2/v2.0/token","authorization_endpoint":"\(base)/oauth2/v2.0/authorize",
             "device_authorization_endpoint":"\(base)/oauth2/v2.0/devicecode","issuer":"\(base)/v2.0"}
            """.utf8))
        }
        let (status, body): (Int, String)
        if request.url == base + "/oauth2/v2.0/token" {
            (status, body) = tokenHandler(Self.form(request))
        } else if request.url == base + "/oauth2/v2.0/devicecode" {
            (status, body) = deviceCodeHandler(Self.form(request))
        } else {
            (status, body) = (404, "{}")
        }
        return HTTPResponse(status: status, body: Array(body.utf8))
    }

    /// A token response in Entra's v2 shape; `idToken` adds an id token and client_info.
    static func tokenJSON(access: String, expiresIn: Int = 3600, refresh: String? = nil, user: String? = nil) -> String {
        var members = [#""token_type":"Bearer""#, #""expires_in":\#(expiresIn)"#, #""access_token":"\#(access)""#]
        if let refresh { members.append(#""refresh_token":"\#(refresh)""#) }
        if let user {
            let header = Base64URLText.encode(#"{"alg":"none"}"#)
            let claims = Base64URLText.encode(#"{"iss":"https://idp.test/\#(tenant)/v2.0","tid":"\#(tenant)","oid":"oid-1","preferred_username":"\#(user)","aud":"client-1"}"#)
            members.append(#""id_token":"\#(header).\#(claims).c2ln""#)
            members.append(#""client_info":"\#(Base64URLText.encode(#"{"uid":"uid-1","utid":"\#(tenant)"}"#))""#)
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func errorJSON(_ error: String, code: Int) -> String {
        #"{"error":"\#(error)","error_description":"AADSTS\#(code): something.\r\nTrace ID: x","error_codes":[\#(code)]}"#
    }
}

enum Base64URLText {
    static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// Collects what would go to stdout or stderr.
final class CapturedText: TextSink, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    func write(_ text: String) { lock.withLock { buffer += text } }
    var text: String { lock.withLock { buffer } }
}

/// A browser that never opens anything (the URL is then printed).
struct NoBrowser: BrowserLauncher {
    func open(_ url: String) -> Bool { false }
}

struct NoCommands: CommandRunner {
    func run(executable: String, arguments: [String], environment: ProcessEnvironment) async throws -> CommandResult {
        CommandResult(status: 127, standardOutput: "", standardError: "not available in tests")
    }
}

/// A fresh private temporary directory per test, removed by the caller.
enum TemporaryDirectory {
    static func make(_ name: String = "kubelogin-test") -> String {
        let path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

extension PluginEnvironment {
    static func test(transport: any HTTPTransport, variables: [String: String] = [:], stdout: CapturedText, stderr: CapturedText,
                     browser: any BrowserLauncher = NoBrowser(), now: @escaping @Sendable () -> Date = { Date() }) -> PluginEnvironment {
        PluginEnvironment(variables: ProcessEnvironment(variables.merging(["HOME": "/nonexistent-home"]) { current, _ in current }),
                          transport: transport, browser: browser, commandRunner: NoCommands(), standardOutput: stdout,
                          standardError: stderr, now: now, sleep: { _ in await Task.yield() })
    }
}
