import OAuthProtocol

/// `--query`: a dotted path into a command's JSON result, the part of az's JMESPath people use
/// most: `name`, `aadProfile.adminGroupObjectIds`, `[0].id`, `aadProfile.adminGroupObjectIds[0]`.
/// A member name applied to an array projects over its elements (`[].name` and `name` on a list
/// both give every element's name). A missing member is `null`, as in JMESPath.
struct OutputQuery {
    enum Step: Equatable {
        case member(String)
        case index(Int)
        case projection
    }

    let steps: [Step]

    init(_ text: String) throws {
        var steps: [Step] = []
        var name = ""
        var characters = Array(text.trimmingCharacters(in: .whitespaces))
        var index = 0
        func flush() {
            if !name.isEmpty { steps.append(.member(name)) }
            name = ""
        }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case ".":
                flush()
            case "[":
                flush()
                guard let close = characters[index...].firstIndex(of: "]") else { throw CLIError("--query: missing ']' in '\(text)'") }
                let inside = String(characters[(index + 1)..<close]).trimmingCharacters(in: .whitespaces)
                if inside.isEmpty || inside == "*" {
                    steps.append(.projection)
                } else if let number = Int(inside) {
                    steps.append(.index(number))
                } else {
                    throw CLIError("--query: unsupported selector '[\(inside)]' (use a member path, [N] or [])")
                }
                index = close
            default:
                guard character.isLetter || character.isNumber || character == "_" || character == "-" || character == "@" else {
                    throw CLIError("--query: unsupported character '\(character)' in '\(text)' (only dotted paths, [N] and [] are supported)")
                }
                name.append(character)
            }
            index += 1
        }
        flush()
        characters = []
        self.steps = steps
    }

    func apply(to value: JSONValue) -> JSONValue {
        Self.apply(steps[...], to: value)
    }

    private static func apply(_ steps: ArraySlice<Step>, to value: JSONValue) -> JSONValue {
        guard let step = steps.first else { return value }
        let rest = steps.dropFirst()
        switch (step, value) {
        case (.member(let name), .object(let members)):
            return apply(rest, to: members.first { $0.0 == name }?.1 ?? .null)
        case (.member, .array(let items)):
            return .array(items.map { apply(steps, to: $0) }.filter { $0 != .null })
        case (.index(let position), .array(let items)):
            let resolved = position < 0 ? items.count + position : position
            return items.indices.contains(resolved) ? apply(rest, to: items[resolved]) : .null
        case (.projection, .array(let items)):
            return .array(items.map { apply(rest, to: $0) }.filter { $0 != .null })
        default:
            return .null
        }
    }
}
