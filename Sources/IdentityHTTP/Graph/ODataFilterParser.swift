import Foundation
import IdentityCore

/// Recursive descent over ``ODataFilterLexer`` tokens.
struct ODataFilterParser {
    let tokens: [ODataFilterLexer.Token]
    var position = 0

    init(tokens: [ODataFilterLexer.Token]) { self.tokens = tokens }

    static func syntax(_ detail: String) -> GraphError {
        GraphError(status: 400, code: "BadRequest", message: "Invalid filter clause: \(detail).")
    }

    var atEnd: Bool { position >= tokens.count }
    var peekText: String {
        guard !atEnd else { return "end of input" }
        switch tokens[position] {
        case .word(let word): return word
        case .quoted(let text): return "'\(text)'"
        case .open: return "("
        case .close: return ")"
        case .comma: return ","
        case .colon: return ":"
        }
    }

    mutating func expression() throws -> ODataFilter {
        var left = try conjunction()
        while keyword("or") { left = .or(left, try conjunction()) }
        return left
    }

    private mutating func conjunction() throws -> ODataFilter {
        var left = try term()
        while keyword("and") { left = .and(left, try term()) }
        return left
    }

    private mutating func term() throws -> ODataFilter {
        if keyword("not") { return .not(try term()) }
        if take(.open) {
            let inner = try expression()
            try expect(.close)
            return inner
        }
        guard case .word(let word)? = next() else { throw Self.syntax("expected a property or function, found \(peekText)") }
        let lowered = word.lowercased()
        if lowered == "startswith" || lowered == "endswith" {
            try expect(.open)
            let path = try self.path()
            try expect(.comma)
            guard case .quoted(let text)? = next() else { throw Self.syntax("\(word) needs a string literal") }
            try expect(.close)
            return lowered == "startswith" ? .startsWith(path, text) : .endsWith(path, text)
        }
        var path = Self.split(word)
        if path.last?.lowercased() == "any" || path.last?.lowercased() == "all" {
            let function = path.removeLast().lowercased()
            guard function == "any" else { throw GraphError(status: 400, code: "Request_UnsupportedQuery",
                                                            message: "Unsupported query: the 'all' lambda operator.") }
            try expect(.open)
            guard case .word(let variable)? = next() else { throw Self.syntax("any() needs a range variable") }
            try expect(.colon)
            let condition = try expression()
            try expect(.close)
            return .any(path, variable: variable, condition)
        }
        guard case .word(let operatorWord)? = next() else { throw Self.syntax("expected an operator after '\(word)'") }
        if operatorWord.lowercased() == "in" {
            try expect(.open)
            var literals = [try literal()]
            while take(.comma) { literals.append(try literal()) }
            try expect(.close)
            return .isIn(path, literals)
        }
        guard let comparison = ODataFilter.Comparison(rawValue: operatorWord.lowercased()) else {
            throw Self.syntax("unknown operator '\(operatorWord)'")
        }
        return .compare(path, comparison, try literal())
    }

    private mutating func path() throws -> [String] {
        guard case .word(let word)? = next() else { throw Self.syntax("expected a property name") }
        return Self.split(word)
    }

    private mutating func literal() throws -> ODataFilter.Literal {
        switch next() {
        case .quoted(let text)?: return .string(text)
        case .word(let word)?:
            switch word.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default: break
            }
            if let number = Double(word) { return .number(number) }
            if let date = GraphDate.parse(word) { return .date(date) }
            // Unquoted GUIDs are accepted by Graph for id properties.
            if ObjectID.canonical(word) != nil { return .string(word) }
            throw Self.syntax("'\(word)' is not a literal")
        default:
            throw Self.syntax("expected a literal")
        }
    }

    private static func split(_ word: String) -> [String] {
        word.split(separator: "/").map(String.init)
    }

    private mutating func next() -> ODataFilterLexer.Token? {
        guard !atEnd else { return nil }
        defer { position += 1 }
        return tokens[position]
    }

    private mutating func take(_ token: ODataFilterLexer.Token) -> Bool {
        guard !atEnd, tokens[position] == token else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ token: ODataFilterLexer.Token) throws {
        guard take(token) else { throw Self.syntax("expected '\(Self.text(token))', found \(peekText)") }
    }

    private mutating func keyword(_ name: String) -> Bool {
        guard !atEnd, case .word(let word) = tokens[position], word.lowercased() == name else { return false }
        position += 1
        return true
    }

    private static func text(_ token: ODataFilterLexer.Token) -> String {
        switch token {
        case .open: "("
        case .close: ")"
        case .comma: ","
        case .colon: ":"
        case .word(let word): word
        case .quoted(let text): "'\(text)'"
        }
    }
}
