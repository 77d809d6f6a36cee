import Foundation
import HTTPTypes
import OAuthProtocol

/// `client_secret_basic`: `Authorization: Basic base64(urlencode(id) ":" urlencode(secret))`
/// (RFC 6749 §2.3.1 — both parts are form-encoded before base64).
struct BasicCredentials: Equatable {
    var clientID: String
    var clientSecret: String

    /// nil when there is no Basic authorization header; throws when there is one but it is malformed.
    static func parse(_ headers: HTTPFields) throws -> BasicCredentials? {
        guard let value = headers[.authorization] else { return nil }
        guard value.count > 6, value.prefix(6).lowercased() == "basic " else { return nil }
        guard let data = Data(base64Encoded: String(value.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":"),
              let id = FormURLEncoding.decodeComponent(text[..<colon]),
              let secret = FormURLEncoding.decodeComponent(text[text.index(after: colon)...]) else {
            throw FormBody.ParseError.malformed
        }
        return BasicCredentials(clientID: id, clientSecret: secret)
    }
}
