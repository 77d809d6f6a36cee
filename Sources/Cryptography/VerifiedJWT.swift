/// A token whose signature checked out against one of our keys. Its claims are *not* validated
/// yet: call ``JWTClaims/validate(now:issuer:audience:leeway:maximumLifetime:)``.
public struct VerifiedJWT: Sendable {
    public var header: JOSEHeader
    /// The payload exactly as signed (base64url-decoded), not re-serialised.
    public var payloadJSON: [UInt8]
    public var key: VerificationKey
    public var claims: JWTClaims
}
