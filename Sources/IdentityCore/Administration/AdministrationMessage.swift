/// The text of an ``AdministrationError`` with the properties it names kept apart from the words,
/// so each front end names them its own way: the CLI as the flags the user typed
/// (`--enable-aad`), the Graph API as body properties. Written as a string literal with
/// `\(field: "enableAAD")` where a property is meant.
public struct AdministrationMessage: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public enum Part: Sendable, Hashable {
        case text(String)
        case field(String)
    }

    public let parts: [Part]

    public init(parts: [Part]) { self.parts = parts }
    public init(_ text: String) { parts = [.text(text)] }
    public init(stringLiteral value: String) { parts = [.text(value)] }
    public init(stringInterpolation: StringInterpolation) { parts = stringInterpolation.parts }

    /// The properties named, in order.
    public var fields: [String] {
        parts.compactMap { if case .field(let name) = $0 { name } else { nil } }
    }

    /// The text with each property spelled by `name` (its own name by default).
    public func rendered(naming name: (String) -> String = { $0 }) -> String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .field(let field): name(field)
            }
        }.joined()
    }

    public var description: String { rendered() }

    public struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { parts.append(.text(literal)) }
        }

        public mutating func appendInterpolation(_ value: some Any) {
            parts.append(.text("\(value)"))
        }

        /// A property of the object being administered, as the directory names it.
        public mutating func appendInterpolation(field name: String) {
            parts.append(.field(name))
        }
    }
}
