import Cryptography

/// Certificate thumbprints in the spellings the protocol uses: upper-case hex (what `az`
/// prints and kubeid stores) and base64url (`x5t`, `x5t#S256` headers, padded or not).
public enum Thumbprint {
    public static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = Array("0123456789ABCDEF")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }

    /// Decodes a header thumbprint; MSAL pads it with `=`, others don't.
    public static func bytes(fromHeaderValue value: String) -> [UInt8]? {
        Base64URL.decode(value, allowPadding: true)
    }

    /// Decodes a hex thumbprint (either case, optional `:` separators).
    public static func bytes(fromHex hex: String) -> [UInt8]? {
        let digits = Array(hex.filter { $0 != ":" })
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else { return nil }
            out.append(byte)
            index += 2
        }
        return out
    }
}
