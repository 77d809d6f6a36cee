import Foundation
import OAuthProtocol

/// Parses `application/x-www-form-urlencoded` bodies strictly: a parameter sent twice is an
/// error (which value would win is exactly the kind of ambiguity attackers use), and malformed
/// percent-escapes are errors rather than guesses (``FormURLEncoding`` decodes the components).
enum FormBody {
    enum ParseError: Error, Equatable {
        case duplicate(String)
        case malformed
    }

    static func parse(_ bytes: [UInt8]) throws(ParseError) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = FormURLEncoding.decodeComponent(parts[0]), !name.isEmpty else { throw .malformed }
            guard let value = parts.count > 1 ? FormURLEncoding.decodeComponent(parts[1]) : "" else { throw .malformed }
            if fields[name] != nil { throw .duplicate(name) }
            fields[name] = value
        }
        return fields
    }
}
