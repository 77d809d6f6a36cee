import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
@testable import IdentityHTTP
import Logging
import OAuthProtocol
import Testing

/// Every thrown error becomes a response in one place: Entra's JSON for the OAuth routes, an
/// HTML page for the sign-in pages.
@Suite("Entra error middleware")
struct EntraErrorMiddlewareTests {
    struct Unexpected: Error {}

    /// Routes that throw what `kind` names, under an OAuth path and a browser path.
    private func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router(context: IdentityRequestContext.self)
        router.add(middleware: RequestIDMiddleware(logger: Logger(label: "test")))
        router.add(middleware: EntraErrorMiddleware(errorURIBase: "https://login.test/error", logger: Logger(label: "test")))
        for path in ["/contoso/oauth2/v2.0/token", "/devicelogin"] {
            router.post(RouterPath(stringLiteral: path)) { request, _ -> Response in
                switch request.uri.queryParameters["kind"].map(String.init) {
                case "store": throw StoreError.unavailable("database gone")
                case "oauth": throw OAuthError.invalidClientSecret(clientID: "app")
                default: throw Unexpected()
                }
            }
        }
        try await Application(router: router).test(.router, body)
    }

    @Test func aStoreOutageIsTemporarilyUnavailableWithRetryAfter() async throws {
        try await run { client in
            let response = try await client.execute(uri: "/contoso/oauth2/v2.0/token?kind=store", method: .post)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "5")
            let body = try #require(response.jsonObject as? [String: Any])
            #expect(body["error"] as? String == "temporarily_unavailable")
            #expect((body["error_codes"] as? [Int]) == [90033])
            // The trace id is the request id the response carries.
            #expect(body["trace_id"] as? String == response.headers[HTTPField.Name("x-ms-request-id")!])
        }
    }

    @Test func anOAuthErrorKeepsItsStatusAndCodeAndTheCallersCorrelationID() async throws {
        try await run { client in
            let correlation = "0b3a2f9e-1c4d-4e5f-8a9b-0c1d2e3f4a5b"
            let response = try await client.execute(uri: "/contoso/oauth2/v2.0/token?kind=oauth", method: .post,
                                                    headers: [HTTPField.Name("client-request-id")!: correlation])
            #expect(response.status == .unauthorized)
            let body = try #require(response.jsonObject as? [String: Any])
            #expect(body["error"] as? String == "invalid_client")
            #expect(body["correlation_id"] as? String == correlation)
        }
    }

    @Test func anUnexpectedErrorIsEntrasServerErrorWithoutInternals() async throws {
        try await run { client in
            let response = try await client.execute(uri: "/contoso/oauth2/v2.0/token?kind=other", method: .post)
            #expect(response.status == .internalServerError)
            let body = try #require(response.jsonObject as? [String: Any])
            #expect(body["error"] as? String == "server_error")
            #expect((body["error_description"] as? String)?.hasPrefix("AADSTS90033: An unexpected error occurred.") == true)
            #expect(!String(buffer: response.body).contains("Unexpected"))
        }
    }

    @Test(arguments: ["store", "other"])
    func aBrowserNeverSeesAJSONError(_ kind: String) async throws {
        try await run { client in
            let response = try await client.execute(uri: "/devicelogin?kind=\(kind)", method: .post)
            #expect(response.status.code >= 500)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            let page = String(buffer: response.body)
            #expect(page.contains("<html") && page.contains("AADSTS90033"))
            #expect(!page.contains("{\"error\""))
        }
    }
}
