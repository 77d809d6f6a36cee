import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OAuthProtocol

/// OAuth helpers for Hummingbird's test client, as hummingbird-auth ships `auth: .bearer(...)`.
extension TestClientProtocol {
    /// POSTs a form-encoded body, optionally with `client_secret_basic` credentials.
    public func postForm(_ path: String, _ fields: [(String, String)], basic: (String, String)? = nil,
                         headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        for field in extra { headers.append(field) }
        if let (id, secret) = basic {
            let raw = "\(FormURLEncoding.encode(id)):\(FormURLEncoding.encode(secret))"
            headers[.authorization] = "Basic " + Data(raw.utf8).base64EncodedString()
        }
        return try await execute(uri: path, method: .post, headers: headers,
                                 body: ByteBuffer(string: FormURLEncoding.encode(fields)))
    }
}

extension TestResponse {
    /// The body parsed as a JSON object (empty when it is not one).
    public var jsonObject: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}
