/// HTML text building with escaping by default: every interpolated value goes through
/// ``escape(_:)``; only the templates' own markup is trusted.
enum HTML {
    /// Escapes `& < > " '` for text and attribute values (OWASP rule #1/#2).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

/// A fragment of trusted markup. Build one with string interpolation: interpolated `String`s
/// are escaped, interpolated `Markup` is kept.
struct Markup: ExpressibleByStringInterpolation, Sendable {
    var html: String

    init(stringLiteral value: String) { html = value }
    init(trusted html: String) { self.html = html }
    init(stringInterpolation: Interpolation) { html = stringInterpolation.html }

    struct Interpolation: StringInterpolationProtocol {
        var html = ""
        init(literalCapacity: Int, interpolationCount: Int) { html.reserveCapacity(literalCapacity * 2) }
        mutating func appendLiteral(_ literal: String) { html += literal }
        mutating func appendInterpolation(_ text: String) { html += HTML.escape(text) }
        mutating func appendInterpolation(_ markup: Markup) { html += markup.html }
        mutating func appendInterpolation(_ items: [Markup]) { html += items.map(\.html).joined() }
    }

    static let empty = Markup(trusted: "")
}
