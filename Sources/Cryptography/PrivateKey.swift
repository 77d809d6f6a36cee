import COpenSSL

/// A signing key (RSA ≥ 2048 bits or EC P-256), parsed once and reused for every signature.
///
/// Parsing once is the point: re-reading a PEM costs 325–440 µs per call with OpenSSL 3.0,
/// more than the signature itself (docs/decisions/0001-jwt-signing-engines.md).
public struct PrivateKey: Sendable {
    public enum Kind: Sendable, Equatable {
        case rsa(bits: Int)
        case p256
    }

    let handle: EVPKeyHandle
    public let kind: Kind
    public let publicKey: PublicKey

    init(handle: EVPKeyHandle) throws {
        self.handle = handle
        self.kind = try KeyClassification.kind(of: handle.pointer)
        self.publicKey = try PublicKey(derFrom: handle.pointer)
    }

    /// Generates an RSA key from OpenSSL's CSPRNG. Refuses fewer than 2048 bits.
    public static func generateRSA(bits: Int = 2048) throws -> PrivateKey {
        guard bits >= KeyClassification.minimumRSABits, bits <= KeyClassification.maximumRSABits else {
            throw CryptoError.unsupportedKey("RSA key size \(bits) outside \(KeyClassification.minimumRSABits)...\(KeyClassification.maximumRSABits)")
        }
        return try generate(type: "RSA") { EVP_PKEY_CTX_set_rsa_keygen_bits($0, Int32(bits)) }
    }

    public static func generateP256() throws -> PrivateKey {
        try generate(type: "EC") { EVP_PKEY_CTX_set_group_name($0, "P-256") }
    }

    // EVP_RSA_gen/EVP_EC_gen are variadic macros Swift cannot import, hence the explicit steps.
    private static func generate(type: String, configure: (OpaquePointer) -> Int32) throws -> PrivateKey {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { throw OpenSSL.failure("EVP_PKEY_CTX_new_from_name(\(type))") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1, configure(ctx) == 1 else { throw OpenSSL.failure("keygen setup for \(type)") }
        var pkey: OpaquePointer? = nil
        guard EVP_PKEY_generate(ctx, &pkey) == 1, let pkey else { throw OpenSSL.failure("EVP_PKEY_generate(\(type))") }
        return try PrivateKey(handle: EVPKeyHandle(taking: pkey))
    }

    /// Reads a PEM key: PKCS#8 (a `PRIVATE KEY` block) or traditional (an `RSA`/`EC` `PRIVATE KEY` block).
    /// Encrypted keys are refused (no passphrase prompt). Weak or other-curve keys throw `.unsupportedKey`.
    public init(pem: String) throws {
        let bio = try OpenSSL.memoryBIO(Array(pem.utf8))
        defer { BIO_free(bio) }
        guard let pkey = PEM_read_bio_PrivateKey(bio, nil, OpenSSL.refusePassword, nil) else {
            throw CryptoError.invalidKey("not a readable PEM private key: \(OpenSSL.drainErrors())")
        }
        try self.init(handle: EVPKeyHandle(taking: pkey))
    }

    /// PKCS#8 PEM (a `PRIVATE KEY` block), unencrypted. Handle with care: this is the secret.
    public var pemPKCS8: String {
        let bytes = try? OpenSSL.writingToBIO { bio in
            PEM_write_bio_PKCS8PrivateKey(bio, handle.pointer, nil, nil, 0, nil, nil)
        }
        guard let bytes else { fatalError("PEM_write_bio_PKCS8PrivateKey failed for a valid key") }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func canSign(with algorithm: JWSAlgorithm) -> Bool {
        KeyClassification.supports(kind, algorithm)
    }

    /// JWS signature bytes: RS256 PKCS#1 v1.5 SHA-256; PS256 RSA-PSS SHA-256, MGF1-SHA-256, salt 32;
    /// ES256 raw `r || s` (64 bytes, converted from OpenSSL's DER).
    public func sign(_ message: some Collection<UInt8>, algorithm: JWSAlgorithm) throws -> [UInt8] {
        guard canSign(with: algorithm) else {
            throw CryptoError.unsupportedAlgorithm("\(algorithm.rawValue) cannot be signed with a \(kind) key")
        }
        // A context per call: EVP_MD_CTX is the mutable part, which is what makes sharing the key safe.
        guard let md = EVP_MD_CTX_new() else { throw OpenSSL.failure("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(md) }
        var pctx: OpaquePointer? = nil
        guard EVP_DigestSignInit(md, &pctx, EVP_sha256(), nil, handle.pointer) == 1, let pctx else {
            throw OpenSSL.failure("EVP_DigestSignInit")
        }
        if algorithm == .ps256 {
            guard RSAPSS.configure(pctx) else { throw OpenSSL.failure("PSS parameters") }
        }
        let signature: [UInt8] = try withContiguousBytes(message) { pointer, count in
            var length = 0
            guard EVP_DigestSign(md, nil, &length, pointer, count) == 1 else { throw OpenSSL.failure("EVP_DigestSign (size)") }
            var out = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(md, &out, &length, pointer, count) == 1 else { throw OpenSSL.failure("EVP_DigestSign") }
            return Array(out.prefix(length))
        }
        return algorithm == .es256 ? try ECDSASignature.raw(fromDER: signature) : signature
    }
}

/// The PS256 parameter set, shared by signing and verification so they cannot drift apart.
enum RSAPSS {
    static let saltLength: Int32 = 32

    static func configure(_ pctx: OpaquePointer) -> Bool {
        cossl_EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
            && cossl_EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltLength) == 1
            && EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1
    }
}

/// Calls `body` with a pointer to the collection's bytes, copying only when it is not contiguous.
func withContiguousBytes<R>(_ bytes: some Collection<UInt8>, _ body: (UnsafePointer<UInt8>?, Int) throws -> R) rethrows -> R {
    if let result = try bytes.withContiguousStorageIfAvailable({ try body($0.baseAddress, $0.count) }) {
        return result
    }
    return try Array(bytes).withUnsafeBufferPointer { try body($0.baseAddress, $0.count) }
}
