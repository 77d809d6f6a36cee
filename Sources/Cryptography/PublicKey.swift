import COpenSSL

/// A verification key (RSA ≥ 2048 bits or EC P-256), parsed once and shared across threads.
///
/// Equality compares the DER `SubjectPublicKeyInfo`, so two values for the same key are equal
/// however they were obtained (PEM, JWK, certificate, or derived from a private key).
public struct PublicKey: Sendable, Equatable {
    let handle: EVPKeyHandle
    public let kind: PrivateKey.Kind
    public let derSubjectPublicKeyInfo: [UInt8]

    init(handle: EVPKeyHandle) throws {
        self.handle = handle
        self.kind = try KeyClassification.kind(of: handle.pointer)
        self.derSubjectPublicKeyInfo = try Self.encodeSPKI(handle.pointer)
    }

    /// The public half of `pkey` as its own `EVP_PKEY`, so a ``PublicKey`` never holds private material.
    init(derFrom pkey: OpaquePointer) throws {
        try self.init(der: Self.encodeSPKI(pkey))
    }

    init(der: [UInt8]) throws {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw CryptoError.invalidKey("not a DER SubjectPublicKeyInfo: \(OpenSSL.drainErrors())") }
        try self.init(handle: EVPKeyHandle(taking: parsed))
    }

    /// Reads a `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo) PEM.
    public init(pem: String) throws {
        let bio = try OpenSSL.memoryBIO(Array(pem.utf8))
        defer { BIO_free(bio) }
        guard let pkey = PEM_read_bio_PUBKEY(bio, nil, OpenSSL.refusePassword, nil) else {
            throw CryptoError.invalidKey("not a readable PEM public key: \(OpenSSL.drainErrors())")
        }
        try self.init(handle: EVPKeyHandle(taking: pkey))
    }

    private static func encodeSPKI(_ pkey: OpaquePointer) throws -> [UInt8] {
        let length = i2d_PUBKEY(pkey, nil)
        guard length > 0 else { throw OpenSSL.failure("i2d_PUBKEY") }
        var out = [UInt8](repeating: 0, count: Int(length))
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_PUBKEY(pkey, &cursor)
        }
        guard written == length else { throw OpenSSL.failure("i2d_PUBKEY") }
        return out
    }

    /// `-----BEGIN PUBLIC KEY-----` PEM; this is also the exact key text handed to libjwt.
    public var pem: String { PEM.encode(label: "PUBLIC KEY", der: derSubjectPublicKeyInfo) }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.derSubjectPublicKeyInfo == rhs.derSubjectPublicKeyInfo
    }

    /// Verifies a JWS signature with `EVP_DigestVerify`.
    ///
    /// Returns `false` (never throws) for a wrong key type, a wrong length or a bad signature.
    /// ES256 demands exactly 64 bytes, which is what ties it to P-256 (libjwt would accept a
    /// 96-byte P-384 signature). OpenSSL's error queue is cleared on every failure path.
    public func isValidSignature(_ signature: [UInt8], for message: some Collection<UInt8>, algorithm: JWSAlgorithm) -> Bool {
        guard KeyClassification.supports(kind, algorithm) else { return false }
        let encoded: [UInt8]
        if algorithm == .es256 {
            guard signature.count == 2 * ECDSASignature.p256Width, let der = ECDSASignature.der(fromRaw: signature) else {
                ERR_clear_error()
                return false
            }
            encoded = der
        } else {
            guard !signature.isEmpty else { return false }
            encoded = signature
        }
        guard let md = EVP_MD_CTX_new() else {
            ERR_clear_error()
            return false
        }
        defer { EVP_MD_CTX_free(md) }
        var pctx: OpaquePointer? = nil
        guard EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), nil, handle.pointer) == 1, let pctx,
              algorithm != .ps256 || RSAPSS.configure(pctx) else {
            ERR_clear_error()
            return false
        }
        let ok = withContiguousBytes(message) { pointer, count in
            EVP_DigestVerify(md, encoded, encoded.count, pointer, count) == 1
        }
        if !ok { ERR_clear_error() }
        return ok
    }
}
