import Hummingbird
import IdentityCore
import OAuthProtocol

/// A Graph request's query parameters, decoded as clients encode them: names and values
/// percent-decoded and `+` read as space. Python's requests writes `%24filter=a+eq+%27b%27`,
/// Kiota-based SDKs `%24filter=a%20eq%20'b'`, curl users `$filter=a%20eq%20'b'`; all mean the
/// same query (Hummingbird's own map decodes neither the names nor `+`).
enum GraphQueryString {
    /// The pairs in order; a malformed escape is Graph's 400.
    static func parameters(_ request: Request) throws -> [(name: String, value: String)] {
        guard let query = request.uri.query, !query.isEmpty else { return [] }
        guard let pairs = FormURLEncoding.decode(query) else {
            throw GraphError.badRequest("The query string has a malformed percent-escape.")
        }
        return pairs.map { (name: $0.0, value: $0.1) }
    }

    /// The value of `name` (exact spelling), if present.
    static func value(_ name: String, in request: Request) throws -> String? {
        try parameters(request).first { $0.name == name }?.value
    }
}
