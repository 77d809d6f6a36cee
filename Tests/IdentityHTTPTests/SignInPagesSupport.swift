import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityHTTP
import IdentityTesting
import NIOCore
import Testing
import OAuthProtocol

/// A browser's view of the pages, in-process: it keeps the session cookie and posts forms with
/// the CSRF token found in the page, as Chromium does.
struct PageBrowser {
    let client: any TestClientProtocol
    var cookie: String?
    var lastPage = ""

    init(_ client: any TestClientProtocol) { self.client = client }

    static let cookieName = "__Host-kubeid-session"

    mutating func absorb(_ response: TestResponse) {
        for value in response.headers[values: .setCookie] where value.hasPrefix("\(Self.cookieName)=") {
            cookie = String(value.prefix { $0 != ";" })
        }
    }

    mutating func get(_ path: String) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        let response = try await client.execute(uri: path, method: .get, headers: headers, body: nil)
        absorb(response)
        lastPage = String(buffer: response.body)
        return response
    }

    /// The CSRF token of the last page.
    var csrf: String? {
        guard let range = lastPage.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return String(lastPage[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    mutating func post(_ path: String, _ fields: [(String, String)], withCSRF: Bool = true,
                       extraHeaders: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        for field in extraHeaders { headers.append(field) }
        var all = fields
        if withCSRF, let csrf { all.append(("csrf", csrf)) }
        let response = try await client.execute(uri: path, method: .post, headers: headers,
                                                body: ByteBuffer(string: FormURLEncoding.encode(all)))
        absorb(response)
        return response
    }

    /// Follows a 303 back to the page.
    mutating func follow(_ response: TestResponse) async throws -> TestResponse {
        #expect(response.status == .seeOther)
        return try await get(try #require(response.headers[.location]))
    }
}

extension TestResponse {
    var html: String { String(buffer: body) }
}

/// The headers every sign-in page carries (RFC 9700 §4.2, §4.16).
func expectPageHeaders(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
    let csp = response.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
    #expect(csp.contains("frame-ancestors 'none'"), sourceLocation: sourceLocation)
    #expect(csp.contains("default-src 'none'"), sourceLocation: sourceLocation)
    #expect(!csp.contains("unsafe-inline"), sourceLocation: sourceLocation)
    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", sourceLocation: sourceLocation)
    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", sourceLocation: sourceLocation)
    #expect(response.headers[.cacheControl] == "no-store", sourceLocation: sourceLocation)
}

/// An issuer with the directory and user fixtures served in-process.
struct SignInHTTPHarness: Sendable {
    let test: TestIssuer
    let users: UserFixture
    var tenantID: String { users.directory.tenant.id }

    static func make(configure: @escaping (inout IssuerConfiguration) -> Void = { _ in }) async throws -> SignInHTTPHarness {
        let test = try await TestIssuer.make(configure: configure)
        let directory = try await DirectoryFixture.make(in: test)
        return SignInHTTPHarness(test: test, users: try await UserFixture.make(in: test, directory: directory))
    }

    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: IdentityRouter.build(issuer: test.issuer)).test(.router, body)
    }
}
