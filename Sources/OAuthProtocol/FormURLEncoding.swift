/// `application/x-www-form-urlencoded`, as the WHATWG URL Standard (§5, the HTML form
/// encoding) writes it: the one codec for token request bodies, authorization requests and the
/// query of a redirect to a client. Both stacks use it, so what kubelogin sends and what the
/// issuer reads and writes cannot drift apart.
///
/// Encoding keeps the ASCII letters and digits and `*-._`, writes space as `+` and every other
/// byte of the UTF-8 as `%XX` (upper-case hex): a non-ASCII `state` never reaches a `Location`
/// header raw. Decoding reads `+` as space and `%XX` as a byte, and is strict: a bad escape or
/// bytes that are not UTF-8 are refused rather than guessed at (which value a client meant is
/// exactly the kind of ambiguity attackers use).
public enum FormURLEncoding {
    /// `name=value&…` in the given order.
    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// One name or value, space as `+`.
    public static func encode(_ component: String) -> String {
        escape(component, space: "+", keeping: [])
    }

    /// One query component for URLs read by servers that may not take `+` for space (RFC 3986
    /// §2.3 unreserved characters kept, space as `%20`); `keeping` adds ASCII characters that
    /// mean nothing special where the component goes (`$` of OData options).
    public static func percentEncode(_ component: String, keeping: Set<Character> = []) -> String {
        escape(component, space: "%20", keeping: Set(keeping.compactMap(\.asciiValue)).union([UInt8(ascii: "~")]))
    }

    /// The pairs of a body or query string in order (duplicates kept, a name without `=` has the
    /// empty value); nil when any component is malformed.
    public static func decode(_ text: some StringProtocol) -> [(String, String)]? {
        decode(bytes: Array(text.utf8))
    }

    public static func decode(bytes: [UInt8]) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decodeComponent(parts[0]), let value = parts.count > 1 ? decodeComponent(parts[1]) : "" else {
                return nil
            }
            pairs.append((name, value))
        }
        return pairs
    }

    /// One percent-decoded component, `+` meaning space; nil on a bad escape or invalid UTF-8.
    /// Concrete (not generic over collections) because it runs for every field of every token
    /// request, and a generic across the module boundary would not be specialised.
    public static func decodeComponent(_ component: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(component.count)
        var index = component.startIndex
        while index != component.endIndex {
            let byte = component[index]
            component.formIndex(after: &index)
            switch byte {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard index != component.endIndex, let high = hexValue(component[index]) else { return nil }
                component.formIndex(after: &index)
                guard index != component.endIndex, let low = hexValue(component[index]) else { return nil }
                component.formIndex(after: &index)
                out.append(high << 4 | low)
            default:
                out.append(byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    public static func decodeComponent(_ text: some StringProtocol) -> String? {
        decodeComponent(ArraySlice(text.utf8))
    }

    private static func escape(_ text: String, space: String, keeping extra: Set<UInt8>) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += space
            case _ where extra.contains(byte):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: "%")))
                out.unicodeScalars.append(Unicode.Scalar(hexDigits[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hexDigits[Int(byte & 0x0F)]))
            }
        }
        return out
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
