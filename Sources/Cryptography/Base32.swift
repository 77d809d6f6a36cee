/// RFC 4648 §6 base32 (upper-case alphabet `A-Z2-7`), as TOTP secrets travel in `otpauth://`
/// URIs and authenticator apps.
public enum Base32 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Encodes `bytes`; `padded: false` drops the trailing `=` (what `otpauth://` URIs use).
    public static func encode(_ bytes: [UInt8], padded: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 4) / 5 * 8)
        var buffer: UInt64 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt64(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int((buffer >> UInt64(bits)) & 0x1F)])
            }
        }
        if bits > 0 {
            out.append(alphabet[Int((buffer << UInt64(5 - bits)) & 0x1F)])
        }
        if padded {
            while out.count % 8 != 0 { out.append(UInt8(ascii: "=")) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes case-insensitively, ignoring spaces, hyphens and trailing `=` (people type
    /// secrets from screens); nil for any other character or leftover non-zero bits.
    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt64 = 0
        var bits = 0
        var sawPadding = false
        for character in text.utf8 {
            switch character {
            case UInt8(ascii: " "), UInt8(ascii: "-"):
                continue
            case UInt8(ascii: "="):
                sawPadding = true
                continue
            default:
                break
            }
            guard !sawPadding else { return nil }
            let value: UInt8
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = character - UInt8(ascii: "a")
            case UInt8(ascii: "2")...UInt8(ascii: "7"): value = character - UInt8(ascii: "2") + 26
            default: return nil
            }
            buffer = buffer << 5 | UInt64(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt64(bits)))
            }
        }
        // Leftover bits must be zero padding, never data.
        if bits > 0, buffer & ((1 << UInt64(bits)) - 1) != 0 { return nil }
        return out
    }
}
