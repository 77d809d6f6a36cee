import Foundation
import IdentityCore
import OAuthProtocol

/// A `$filter` expression (OData 4.01 §5.1.1, the subset Microsoft Graph accepts on directory
/// objects and logs), parsed once and evaluated against the JSON each object renders to, so
/// every collection filters the same way. String comparisons ignore case, as Graph's directory
/// queries do.
///
/// Grammar: `or` of `and` of terms; a term is `not term`, `( expr )`,
/// `path op literal` (`eq ne gt ge lt le`), `path in (literal, …)`,
/// `startsWith(path, 'x')` / `endsWith(path, 'x')`, or `path/any(v: v op literal)` over an
/// array. A path is `name[/name…]`; literals are `'text'` (`''` escapes a quote), numbers,
/// `true`/`false`/`null`, GUIDs and ISO 8601 date-times.
indirect enum ODataFilter: Sendable, Equatable {
    enum Comparison: String, Sendable { case eq, ne, gt, ge, lt, le }
    enum Literal: Sendable, Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        case date(Date)
    }

    case and(ODataFilter, ODataFilter)
    case or(ODataFilter, ODataFilter)
    case not(ODataFilter)
    case compare([String], Comparison, Literal)
    case isIn([String], [Literal])
    case startsWith([String], String)
    case endsWith([String], String)
    /// `path/any(v: <condition on v>)`; the condition's paths start with the variable.
    case any([String], variable: String, ODataFilter)

    static func parse(_ text: String) throws -> ODataFilter {
        var parser = ODataFilterParser(tokens: try ODataFilterLexer.tokens(text))
        let filter = try parser.expression()
        guard parser.atEnd else { throw ODataFilterParser.syntax("unexpected '\(parser.peekText)'") }
        return filter
    }

    /// Whether `object` (a rendered Graph object) satisfies the filter.
    func matches(_ object: JSONValue) -> Bool {
        matches(object, scope: [:])
    }

    /// The filter's comparisons that name `path` with `eq`, for stores that can look them up
    /// directly (e.g. `userId eq '…'` on the sign-in log). Only meaningful for an `and` chain.
    var conjuncts: [ODataFilter] {
        if case .and(let left, let right) = self { return left.conjuncts + right.conjuncts }
        return [self]
    }

    private func matches(_ object: JSONValue, scope: [String: JSONValue]) -> Bool {
        switch self {
        case .and(let left, let right): return left.matches(object, scope: scope) && right.matches(object, scope: scope)
        case .or(let left, let right): return left.matches(object, scope: scope) || right.matches(object, scope: scope)
        case .not(let inner): return !inner.matches(object, scope: scope)
        case .compare(let path, let comparison, let literal):
            return Self.compare(Self.resolve(path, in: object, scope: scope), comparison, literal)
        case .isIn(let path, let literals):
            let value = Self.resolve(path, in: object, scope: scope)
            return literals.contains { Self.compare(value, .eq, $0) }
        case .startsWith(let path, let prefix):
            guard case .string(let value)? = Self.resolve(path, in: object, scope: scope) else { return false }
            return value.lowercased().hasPrefix(prefix.lowercased())
        case .endsWith(let path, let suffix):
            guard case .string(let value)? = Self.resolve(path, in: object, scope: scope) else { return false }
            return value.lowercased().hasSuffix(suffix.lowercased())
        case .any(let path, let variable, let condition):
            guard case .array(let items)? = Self.resolve(path, in: object, scope: scope) else { return false }
            return items.contains { item in
                var inner = scope
                inner[variable] = item
                return condition.matches(object, scope: inner)
            }
        }
    }

    private static func resolve(_ path: [String], in object: JSONValue, scope: [String: JSONValue]) -> JSONValue? {
        guard let first = path.first else { return nil }
        var current: JSONValue?
        if let bound = scope[first] {
            current = bound
        } else {
            current = member(first, of: object)
        }
        for name in path.dropFirst() {
            current = current.flatMap { member(name, of: $0) }
        }
        return current
    }

    private static func member(_ name: String, of value: JSONValue) -> JSONValue? {
        guard case .object(let members) = value else { return nil }
        let folded = name.lowercased()
        return members.first { $0.0.lowercased() == folded }?.1
    }

    private static func compare(_ value: JSONValue?, _ comparison: Comparison, _ literal: Literal) -> Bool {
        let order: ComparisonResult?
        switch (value ?? .null, literal) {
        case (.null, .null): order = .orderedSame
        case (.null, _), (_, .null): order = nil
        case (.string(let text), .string(let expected)):
            order = text.lowercased() < expected.lowercased() ? .orderedAscending
                : text.lowercased() == expected.lowercased() ? .orderedSame : .orderedDescending
        case (.string(let text), .date(let expected)):
            guard let date = GraphDate.parse(text) else { return false }
            order = date < expected ? .orderedAscending : date == expected ? .orderedSame : .orderedDescending
        case (.number(let number), .number(let expected)):
            order = number < expected ? .orderedAscending : number == expected ? .orderedSame : .orderedDescending
        case (.bool(let flag), .bool(let expected)):
            order = flag == expected ? .orderedSame : .orderedAscending
        default:
            order = nil
        }
        switch comparison {
        case .eq: return order == .orderedSame
        case .ne: return order != .orderedSame
        case .gt: return order == .orderedDescending
        case .ge: return order == .orderedDescending || order == .orderedSame
        case .lt: return order == .orderedAscending
        case .le: return order == .orderedAscending || order == .orderedSame
        }
    }
}
