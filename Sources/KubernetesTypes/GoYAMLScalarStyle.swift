import Yams

/// How go-yaml v2 chooses to write a string (its encoder's `stringv`), so our YAML matches what
/// client-go writes: multi-line text as a literal block, text that would read back as something
/// other than a string (`true`, `10`, `""`, `2020-01-01`, `1:30`) double-quoted, the rest plain.
/// libyaml (inside Yams) then falls back from plain to single quotes exactly where go-yaml's port
/// of it does (for example text containing `: ` or starting with `-`).
enum GoYAMLScalarStyle {
    static func style(for text: String) -> Node.Scalar.Style {
        if text.utf8.contains(UInt8(ascii: "\n")) { return .literal }
        if resolvesToNonString(text) || isBase60Float(text) { return .doubleQuoted }
        return .plain
    }

    /// go-yaml v2 `resolve("", text)` returning anything but `!!str`.
    static func resolvesToNonString(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return true }  // "" reads back as null
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
             UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
             UInt8(ascii: "~"):
            return specialWords.contains(text)
        case UInt8(ascii: "."):
            return specialWords.contains(text) || isGoFloat(text)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            if specialWords.contains(text) || isTimestamp(text) { return true }
            let plain = text.replacingAll("_", with: "")
            return isGoInteger(plain) || isYAMLFloat(plain) || isBinaryInteger(plain)
        default:
            return false
        }
    }

    private static let specialWords: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
        "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    ]

    /// Go `strconv.ParseInt(s, 0, 64)` or `ParseUint` syntax (range not checked).
    private static func isGoInteger(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard !bytes.isEmpty else { return false }
        let lower = Array(bytes.prefix(2)).map { $0 | 0x20 }
        if bytes.count > 2, bytes.first == UInt8(ascii: "0") {
            let rest = bytes.dropFirst(2)
            switch lower[1] {
            case UInt8(ascii: "x"): return rest.allSatisfy { isHexDigit($0) }
            case UInt8(ascii: "o"): return rest.allSatisfy { (48...55).contains($0) }
            case UInt8(ascii: "b"): return rest.allSatisfy { $0 == 48 || $0 == 49 }
            default: break
            }
        }
        if bytes.first == UInt8(ascii: "0") { return bytes.allSatisfy { (48...55).contains($0) } }
        return bytes.allSatisfy { (48...57).contains($0) }
    }

    private static func isBinaryInteger(_ text: String) -> Bool {
        for prefix in ["0b", "-0b"] where text.hasPrefix(prefix) {
            let rest = text.utf8.dropFirst(prefix.utf8.count)
            return !rest.isEmpty && rest.allSatisfy { $0 == 48 || $0 == 49 }
        }
        return false
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    private static func isYAMLFloat(_ text: String) -> Bool {
        var scanner = ByteScanner(text)
        _ = scanner.take { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        if scanner.take({ $0 == UInt8(ascii: ".") }) {
            guard scanner.digits() > 0 else { return false }
        } else {
            guard scanner.digits() > 0 else { return false }
            if scanner.take({ $0 == UInt8(ascii: ".") }) { _ = scanner.digits() }
        }
        if scanner.take({ $0 | 0x20 == UInt8(ascii: "e") }) {
            _ = scanner.take { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
            guard scanner.digits() > 0 else { return false }
        }
        return scanner.atEnd
    }

    /// Go `strconv.ParseFloat` on text starting with `.`: `.5`, `.5e3`.
    private static func isGoFloat(_ text: String) -> Bool {
        isYAMLFloat(text)
    }

    /// go-yaml v2 `parseTimestamp`: `YYYY-M-D` optionally followed by a time.
    private static func isTimestamp(_ text: String) -> Bool {
        var scanner = ByteScanner(text)
        guard scanner.digits() == 4, scanner.take({ $0 == UInt8(ascii: "-") }),
              (1...2).contains(scanner.digits()), scanner.take({ $0 == UInt8(ascii: "-") }),
              (1...2).contains(scanner.digits()) else { return false }
        if scanner.atEnd { return true }
        guard scanner.take({ $0 == UInt8(ascii: "T") || $0 == UInt8(ascii: "t") || $0 == UInt8(ascii: " ") }),
              (1...2).contains(scanner.digits()), scanner.take({ $0 == UInt8(ascii: ":") }),
              (1...2).contains(scanner.digits()), scanner.take({ $0 == UInt8(ascii: ":") }),
              (1...2).contains(scanner.digits()) else { return false }
        if scanner.take({ $0 == UInt8(ascii: ".") }) { guard scanner.digits() > 0 else { return false } }
        if scanner.atEnd { return true }
        if scanner.take({ $0 == UInt8(ascii: "Z") }) { return scanner.atEnd }
        guard scanner.take({ $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }), scanner.digits() == 2,
              scanner.take({ $0 == UInt8(ascii: ":") }), scanner.digits() == 2 else { return false }
        return scanner.atEnd
    }

    /// go-yaml v2 quotes sexagesimal numbers (`1:20`) for YAML 1.1 readers.
    static func isBase60Float(_ text: String) -> Bool {
        var scanner = ByteScanner(text)
        _ = scanner.take { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        guard scanner.take({ (48...57).contains($0) }) else { return false }
        while scanner.take({ (48...57).contains($0) || $0 == UInt8(ascii: "_") }) {}
        var groups = 0
        while scanner.take({ $0 == UInt8(ascii: ":") }) {
            let first = scanner.take { (48...53).contains($0) }
            let second = scanner.take { (48...57).contains($0) }
            // "[0-5]?[0-9]": a lone digit 0-5 is the [0-9] part.
            guard second || first else { return false }
            groups += 1
        }
        guard groups > 0 else { return false }
        if scanner.take({ $0 == UInt8(ascii: ".") }) {
            while scanner.take({ (48...57).contains($0) || $0 == UInt8(ascii: "_") }) {}
        }
        return scanner.atEnd
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (97...102).contains(byte | 0x20)
    }
}

/// A cursor over UTF-8 bytes for the small grammars above.
private struct ByteScanner {
    let bytes: [UInt8]
    var index = 0
    init(_ text: String) { bytes = Array(text.utf8) }
    var atEnd: Bool { index == bytes.count }

    mutating func take(_ matches: (UInt8) -> Bool) -> Bool {
        guard index < bytes.count, matches(bytes[index]) else { return false }
        index += 1
        return true
    }

    mutating func digits() -> Int {
        let start = index
        while take({ (48...57).contains($0) }) {}
        return index - start
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
