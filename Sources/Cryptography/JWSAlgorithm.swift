/// The JWS algorithms kubeid signs and accepts. Deliberately closed: no `none`, no HS*,
/// so an algorithm can never be chosen by a token (RFC 8725 §3.1).
public enum JWSAlgorithm: String, Sendable, Codable, CaseIterable {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rs256 = "RS256"
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt.
    case ps256 = "PS256"
    /// ECDSA on P-256 with SHA-256; signature is raw `r || s` (64 bytes).
    case es256 = "ES256"
}
