/// Standard base64 (RFC 4648 §4) with padding, for PEM bodies and JWK `x5c` entries.
public enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        Base64Codec.encode(bytes, alphabet: alphabet, padded: true)
    }

    /// - Parameter ignoringWhitespace: skip spaces, tabs, CR and LF (PEM bodies are wrapped at 64 columns).
    public static func decode(_ text: String, ignoringWhitespace: Bool = true) -> [UInt8]? {
        Base64Codec.decode(Array(text.utf8), alphabet: .standard, allowPadding: true, requirePadding: false, ignoringWhitespace: ignoringWhitespace)
    }
}
