import Cryptography

/// RFC 7636 S256: a 43-character verifier from 32 random bytes and its SHA-256 challenge.
struct PKCE: Sendable {
    let verifier: String
    let challenge: String

    init() {
        verifier = Base64URL.encode(SecureRandom.bytes(32))
        challenge = Base64URL.encode(Digest.sha256(Array(verifier.utf8)))
    }

    /// A random value for `state`/`nonce`.
    static func randomToken() -> String { Base64URL.encode(SecureRandom.bytes(32)) }
}
