import Foundation

/// Parses `application/x-www-form-urlencoded` bodies strictly: a parameter sent twice is an
/// error (which value would win is exactly the kind of ambiguity attackers use), and malformed
/// percent-escapes are errors rather than guesses.
enum FormBody {
    enum ParseError: Error, Equatable {
        case duplicate(String)
        case malformed
    }

    static func parse(_ bytes: [UInt8]) throws(ParseError) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), !name.isEmpty else { throw .malformed }
            guard let value = parts.count > 1 ? decode(parts[1]) : "" else { throw .malformed }
            if fields[name] != nil { throw .duplicate(name) }
            fields[name] = value
        }
        return fields
    }

    /// Percent-decodes one component, `+` meaning space; nil on a bad escape or invalid UTF-8.
    static func decode(_ component: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(component.count)
        var index = component.startIndex
        while index < component.endIndex {
            let byte = component[index]
            switch byte {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
                index += 1
            case UInt8(ascii: "%"):
                guard index + 2 < component.endIndex,
                      let high = hexValue(component[index + 1]), let low = hexValue(component[index + 2]) else { return nil }
                out.append(high << 4 | low)
                index += 3
            default:
                out.append(byte)
                index += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
