/// PEM armour (RFC 7468): base64 of DER between BEGIN/END lines.
///
/// Handled in Swift rather than through OpenSSL's PEM reader when only the bytes are needed, so
/// that finding every `CERTIFICATE` block in a bundle does not depend on OpenSSL's error queue.
enum PEM {
    static func encode(label: String, der: [UInt8]) -> String {
        let body = Base64.encode(der)
        var text = "-----BEGIN \(label)-----\n"
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            text += body[index..<end]
            text += "\n"
            index = end
        }
        text += "-----END \(label)-----\n"
        return text
    }

    /// The DER of every block with `label`, in order. `nil` if a block is unterminated or not base64.
    static func decodeAll(label: String, from text: String) -> [[UInt8]]? {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        var blocks: [[UInt8]] = []
        var rest = Substring(text)
        while let start = rest.range(of: begin) {
            guard let stop = rest[start.upperBound...].range(of: end) else { return nil }
            guard let der = Base64.decode(String(rest[start.upperBound..<stop.lowerBound]), ignoringWhitespace: true),
                  !der.isEmpty else { return nil }
            blocks.append(der)
            rest = rest[stop.upperBound...]
        }
        return blocks
    }
}

extension StringProtocol {
    /// Substring search without Foundation (whose `range(of:)` is slow on Linux).
    func range(of needle: String) -> Range<Index>? {
        let n = Array(needle.utf8)
        guard let first = n.first else { return nil }
        var i = startIndex
        while i < endIndex {
            if utf8[i] == first, utf8[i...].starts(with: n) {
                return i..<utf8.index(i, offsetBy: n.count)
            }
            i = utf8.index(after: i)
        }
        return nil
    }
}
