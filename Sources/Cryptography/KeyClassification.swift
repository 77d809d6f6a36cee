import COpenSSL

/// Decides whether an `EVP_PKEY` is one kubeid accepts, and which ``PrivateKey/Kind`` it is.
///
/// One place for the key-strength policy (RFC 8725 §3.5): RSA from 2048
/// bits (and at most 16384, so a hostile JWK cannot make every verify expensive), EC only on
/// P-256 so that ES256 is tied to its curve.
enum KeyClassification {
    static let minimumRSABits = 2048
    static let maximumRSABits = 16384

    static func kind(of pkey: OpaquePointer) throws -> PrivateKey.Kind {
        switch EVP_PKEY_get_base_id(pkey) {
        case EVP_PKEY_RSA:
            let bits = Int(EVP_PKEY_get_bits(pkey))
            guard bits >= minimumRSABits else { throw CryptoError.unsupportedKey("RSA key of \(bits) bits; at least \(minimumRSABits) required") }
            guard bits <= maximumRSABits else { throw CryptoError.unsupportedKey("RSA key of \(bits) bits; at most \(maximumRSABits) accepted") }
            return .rsa(bits: bits)
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(pkey, &name, name.count, &length) == 1 else {
                throw CryptoError.unsupportedKey("EC key without a named curve: \(OpenSSL.drainErrors())")
            }
            let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard curve == "prime256v1" || curve == "P-256" else { throw CryptoError.unsupportedKey("EC curve \(curve); only P-256 is accepted") }
            return .p256
        default:
            throw CryptoError.unsupportedKey("key type \(EVP_PKEY_get_base_id(pkey)) is neither RSA nor EC")
        }
    }

    static func supports(_ kind: PrivateKey.Kind, _ algorithm: JWSAlgorithm) -> Bool {
        switch (kind, algorithm) {
        case (.rsa, .rs256), (.rsa, .ps256), (.p256, .es256): return true
        default: return false
        }
    }
}
