import Cryptography

/// Device-flow user codes (RFC 8628 §5.1, §6.1): 8 characters from 20 consonants
/// (no vowels, so no words; no look-alike digits), about 34.5 bits. Shown as `BCDF-GHJK`; entry
/// ignores case, spaces and hyphens.
public enum UserCode {
    public static let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ")
    public static let length = 8

    /// A fresh code, uniformly drawn (rejection sampling, no modulo bias), normalised form.
    public static func generate() -> String {
        var characters: [Character] = []
        while characters.count < length {
            for byte in SecureRandom.bytes(length * 2) where byte < 240 && characters.count < length {
                characters.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return String(characters)
    }

    /// The normalised code (upper case, separators removed), or nil if it cannot be a user code.
    public static func normalize(_ input: String) -> String? {
        let kept = input.uppercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" }
        guard kept.count == length, kept.allSatisfy(alphabet.contains) else { return nil }
        return kept
    }

    /// `BCDF-GHJK`: two groups of four are easier to read out and type.
    public static func display(_ code: String) -> String {
        guard code.count == length else { return code }
        return "\(code.prefix(4))-\(code.suffix(4))"
    }
}
