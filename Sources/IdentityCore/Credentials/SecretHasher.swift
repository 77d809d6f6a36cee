import Cryptography

/// Hashes generated client secrets for storage and checks presented ones.
///
/// Secrets are server-generated with 256 bits of entropy, so a slow password hash buys nothing;
/// a keyed hash (HMAC-SHA-256 under an installation key kept outside the database) means a
/// stolen database alone cannot even confirm a guess. Every byte of the secret counts (no
/// 72-byte truncation as with bcrypt), and comparison is constant-time.
public struct SecretHasher: Sendable {
    private let key: [UInt8]

    /// - Parameter key: at least 32 random bytes (the data directory's `secret-hash.key`).
    public init(key: [UInt8]) {
        precondition(key.count >= 32, "the secret-hashing key must have at least 256 bits")
        self.key = key
    }

    /// The stored form of `secret`.
    public func hash(_ secret: String) -> [UInt8] {
        Digest.hmacSHA256(key: key, message: Array(secret.utf8))
    }

    /// True when `secret` hashes to `storedHash`; takes the same time whatever the inputs.
    public func matches(_ secret: String, storedHash: [UInt8]) -> Bool {
        constantTimeEquals(hash(secret), storedHash)
    }

    /// A key for one purpose, derived from the installation key (HMAC-SHA-256 of a label), so
    /// every instance sharing the data directory's key derives the same one and no purpose's key
    /// reveals another's. Purposes: `refresh-successor`, `browser-session`.
    public func derivedKey(purpose: String) -> [UInt8] {
        Digest.hmacSHA256(key: key, message: Array("kubeid key derivation v1: \(purpose)".utf8))
    }

    /// A new client secret: 32 random bytes (256 bits), base64url, with Entra's `~` marker after
    /// a three-character hint so people recognise it as a secret value. The hint is letters and
    /// digits only, so a secret never starts with `-` and command lines never mistake it for a
    /// flag (the 256 bits of the body are the secret; the hint adds none).
    public static func generateSecret() -> String {
        let body = Base64URL.encode(SecureRandom.bytes(32))
        let hint = SecureRandom.bytes(3).map { hintAlphabet[Int($0) % hintAlphabet.count] }
        return "\(String(hint))8Q~\(body)"
    }

    private static let hintAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
}
