/// Unpadded base64url (RFC 4648 §5) as JOSE uses it, done at byte level.
///
/// Byte level because `String.replacingOccurrences` costs ~160 µs per 2 KB on Linux Foundation,
/// and strict because every accepted variant of a token segment is attack surface: decoding
/// rejects whitespace, the standard-alphabet characters `+`/`/`, padding (unless asked for) and
/// non-zero trailing bits, so one byte string has exactly one accepted encoding.
public enum Base64URL {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        Base64Codec.encode(bytes, alphabet: alphabet, padded: false)
    }

    /// Decodes strictly; `nil` for any character outside the base64url alphabet.
    /// - Parameter allowPadding: accept trailing `=` padding (exactly the canonical amount).
    public static func decode(_ text: some StringProtocol, allowPadding: Bool = false) -> [UInt8]? {
        Base64Codec.decode(Array(text.utf8), alphabet: .url, allowPadding: allowPadding, requirePadding: false, ignoringWhitespace: false)
    }
}
