import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
@testable import IdentityHTTP
import IdentityTesting
import NIOCore
import Testing

/// Every response has an `x-ms-request-id`; errors carry the same id where Entra and Graph put
/// it (`trace_id`, `innerError.request-id`), and the caller's `client-request-id` comes back.
@Suite("Request ids")
struct RequestIDTests {
    static let requestID = HTTPField.Name("x-ms-request-id")!
    static let clientRequestID = HTTPField.Name("client-request-id")!

    @Test func oauthAndGraphErrorsCarryTheResponsesRequestID() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { (client: any TestClientProtocol) async throws in
            let caller = UUID().uuidString.lowercased()
            let token = try await client.execute(
                uri: "/contoso/oauth2/v2.0/token", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", Self.clientRequestID: caller],
                body: ByteBuffer(string: "grant_type=client_credentials&client_id=\(UUID().uuidString)&client_secret=x&scope=x/.default"))
            let id = try #require(token.headers[Self.requestID])
            #expect(UUID(uuidString: id) != nil)
            #expect(token.jsonObject["trace_id"] as? String == id)
            #expect(token.jsonObject["correlation_id"] as? String == caller)
            #expect(token.headers[Self.clientRequestID] == caller)

            let graph = try await client.execute(uri: "/v1.0/users", method: .get, headers: [Self.clientRequestID: caller])
            #expect(graph.status == .unauthorized)
            let inner = try #require((graph.jsonObject["error"] as? [String: Any])?["innerError"] as? [String: Any])
            #expect(inner["request-id"] as? String == graph.headers[Self.requestID])
            #expect(inner["client-request-id"] as? String == caller)

            let healthy = try await client.execute(uri: "/healthz", method: .get)
            let other = try await client.execute(uri: "/healthz", method: .get)
            #expect(healthy.headers[Self.requestID] != nil && healthy.headers[Self.requestID] != other.headers[Self.requestID])
        }
    }

    @Test func aClientRequestIDThatIsNotPlainIsNeitherEchoedNorLogged() {
        #expect(RequestIDMiddleware<IdentityRequestContext>.acceptable("0f8fad5b-d9cb-469f-a165-70867728950e") != nil)
        #expect(RequestIDMiddleware<IdentityRequestContext>.acceptable("evil\r\nSet-Cookie: x") == nil)
        #expect(RequestIDMiddleware<IdentityRequestContext>.acceptable(String(repeating: "a", count: 129)) == nil)
        #expect(RequestIDMiddleware<IdentityRequestContext>.acceptable("") == nil)
    }
}
