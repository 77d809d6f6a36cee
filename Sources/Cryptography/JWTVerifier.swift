/// Verifies compact JWS tokens strictly, then hands back the header and payload (no claim checks).
///
/// The order of checks is the security argument (RFC 8725 §2.1, §3.1, §3.10;
/// docs/tokens-and-keys.md):
/// 1. length cap (libjwt `alloca`s per segment: a 16 MB token crashes it);
/// 2. exactly three non-empty segments in strict base64url (padding only if allowed);
/// 3. our own header parse; `crit`, `jku`, `x5u`, embedded `jwk` → `.unsupportedHeader`;
/// 4. `alg` must be RS256/PS256/ES256 exactly (so never `none`, `NONE` or HS*);
/// 5. `resolveKey` picks one of *our* keys from the header; nil → `.unknownKey`;
/// 6. the token's `alg` must equal the key's pinned algorithm → else `.algorithmMismatch`;
/// 7. ES256 signatures must be 64 bytes (ties ES256 to P-256);
/// 8. signature check by the engine, with a non-empty key: libjwt `jwt_decode` + `jwt_get_alg`,
///    or `EVP_DigestVerify`. PS256, padded segments and a `typ` other than JWT always use EVP,
///    because libjwt 1.10.2 cannot handle them.
public struct JWTVerifier: Sendable {
    public let engine: JWTEngine
    public let maximumLength: Int
    public let allowPaddedSegments: Bool

    public init(engine: JWTEngine = .libjwt, maximumLength: Int = 16 * 1024, allowPaddedSegments: Bool = false) {
        self.engine = engine
        self.maximumLength = maximumLength
        self.allowPaddedSegments = allowPaddedSegments
    }

    public func verify(_ token: String, resolveKey: (JOSEHeader) throws -> VerificationKey?) throws -> VerifiedJWT {
        let bytes = token.utf8
        guard bytes.count <= maximumLength else {
            throw CryptoError.tokenTooLarge("token of \(bytes.count) bytes exceeds \(maximumLength)")
        }
        let segments = bytes.split(separator: UInt8(ascii: "."), maxSplits: 3, omittingEmptySubsequences: false)
        guard segments.count == 3, segments.allSatisfy({ !$0.isEmpty }) else {
            throw CryptoError.malformedToken("a JWS needs exactly three non-empty segments")
        }
        let padded = bytes.contains(UInt8(ascii: "="))
        guard let headerJSON = Base64URL.decode(Substring(segments[0]), allowPadding: allowPaddedSegments),
              let payloadJSON = Base64URL.decode(Substring(segments[1]), allowPadding: allowPaddedSegments),
              let signature = Base64URL.decode(Substring(segments[2]), allowPadding: allowPaddedSegments),
              !signature.isEmpty else {
            throw CryptoError.malformedToken("segments are not strict base64url")
        }

        let header = try JOSEHeader(json: headerJSON)
        if header.hasCritical || header.hasJKU || header.hasX5U || header.hasEmbeddedJWK {
            throw CryptoError.unsupportedHeader("crit, jku, x5u and jwk headers are refused")
        }
        guard let algorithm = JWSAlgorithm(rawValue: header.algorithm) else {
            throw CryptoError.unsupportedAlgorithm("alg \(header.algorithm.prefix(16)) is not accepted")
        }
        guard let key = try resolveKey(header) else {
            throw CryptoError.unknownKey("no key of ours matches the token header")
        }
        guard algorithm == key.algorithm else {
            throw CryptoError.algorithmMismatch("token alg \(algorithm.rawValue) differs from the key's \(key.algorithm.rawValue)")
        }
        guard KeyClassification.supports(key.publicKey.kind, algorithm) else {
            throw CryptoError.unsupportedAlgorithm("key \(key.keyID) is pinned to \(algorithm.rawValue) but is \(key.publicKey.kind)")
        }
        if algorithm == .es256, signature.count != 2 * ECDSASignature.p256Width {
            throw CryptoError.invalidSignature("ES256 signature must be 64 bytes, got \(signature.count)")
        }

        let libjwtCanVerify = LibJWT.algorithm(algorithm) != nil && !padded
            && (header.type == nil || header.type?.lowercased() == "jwt")
        let valid: Bool
        if engine == .libjwt && libjwtCanVerify {
            valid = LibJWT.verify(token: token, publicKeyPEM: Array(key.publicKey.pem.utf8), algorithm: algorithm)
        } else {
            let signingInputLength = segments[0].count + 1 + segments[1].count
            valid = key.publicKey.isValidSignature(signature, for: bytes.prefix(signingInputLength), algorithm: algorithm)
        }
        guard valid else { throw CryptoError.invalidSignature("signature does not verify with key \(key.keyID)") }

        let claims = try JWTClaims(json: payloadJSON)
        return VerifiedJWT(header: header, payloadJSON: payloadJSON, key: key, claims: claims)
    }
}
