/// Which implementation produces or checks the JWS signature.
///
/// - ``openSSL``: the key is parsed once and every call is one `EVP_DigestSign`/`EVP_DigestVerify`
///   (the hot path; all algorithms).
/// - ``libjwt``: libjwt 1.10.2's `jwt_encode_str`/`jwt_decode`. It re-parses the PEM key on every
///   call and supports RS256 and ES256 only, not PS256. Kept as the reference implementation the
///   project chose, always behind our strict checks (docs/decisions/0001-jwt-signing-engines.md).
public enum JWTEngine: Sendable {
    case openSSL
    case libjwt
}
