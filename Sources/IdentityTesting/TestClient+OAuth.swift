import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// OAuth helpers for Hummingbird's test client, as hummingbird-auth ships `auth: .bearer(...)`.
extension TestClientProtocol {
    /// POSTs a form-encoded body, optionally with `client_secret_basic` credentials.
    public func postForm(_ path: String, _ fields: [(String, String)], basic: (String, String)? = nil,
                         headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        for field in extra { headers.append(field) }
        if let (id, secret) = basic {
            let raw = "\(FormEncoding.encode(id)):\(FormEncoding.encode(secret))"
            headers[.authorization] = "Basic " + Data(raw.utf8).base64EncodedString()
        }
        return try await execute(uri: path, method: .post, headers: headers,
                                 body: ByteBuffer(string: FormEncoding.encode(fields)))
    }
}

/// `application/x-www-form-urlencoded` encoding.
public enum FormEncoding {
    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    public static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension TestResponse {
    /// The body parsed as a JSON object (empty when it is not one).
    public var jsonObject: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}
