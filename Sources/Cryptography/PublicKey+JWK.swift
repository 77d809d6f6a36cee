import COpenSSL

extension PublicKey {
    /// The JWK members that define the key, base64url-encoded: `n`,`e` for RSA or `x`,`y` for P-256.
    private var components: (first: String, second: String) {
        switch kind {
        case .rsa:
            return (Base64URL.encode(bigNumber("n")), Base64URL.encode(bigNumber("e")))
        case .p256:
            return (Base64URL.encode(bigNumber("qx", width: 32)), Base64URL.encode(bigNumber("qy", width: 32)))
        }
    }

    private func bigNumber(_ name: String, width: Int? = nil) -> [UInt8] {
        var bn: OpaquePointer? = nil
        guard EVP_PKEY_get_bn_param(handle.pointer, name, &bn) == 1, let bn else {
            fatalError("EVP_PKEY_get_bn_param(\(name)) failed on a classified key: \(OpenSSL.drainErrors())")
        }
        defer { BN_free(bn) }
        return OpenSSL.bytes(of: bn, width: width)
    }

    /// The public JWK. Only `kty` and the key's own members (plus `kid` if given); callers add
    /// `use`, `alg`, `x5t`, `x5c` as the endpoint needs.
    public func jwk(keyID: String? = nil) -> JWK {
        let (first, second) = components
        switch kind {
        case .rsa: return JWK(kty: "RSA", kid: keyID, n: first, e: second)
        case .p256: return JWK(kty: "EC", kid: keyID, crv: "P-256", x: first, y: second)
        }
    }

    /// RFC 7638 thumbprint: base64url(SHA-256) of the required members in lexicographic order,
    /// without whitespace. Used as `kid`, so a key's id follows from the key itself.
    public var thumbprint: String {
        let (first, second) = components
        let canonical: String
        switch kind {
        case .rsa: canonical = #"{"e":"\#(second)","kty":"RSA","n":"\#(first)"}"#
        case .p256: canonical = #"{"crv":"P-256","kty":"EC","x":"\#(first)","y":"\#(second)"}"#
        }
        return Base64URL.encode(Digest.sha256(Array(canonical.utf8)))
    }

    /// Builds a key from an RSA (`n`,`e`) or EC P-256 (`x`,`y`) JWK; anything else is `.unsupportedKey`.
    public init(jwk: JWK) throws {
        switch jwk.kty {
        case "RSA":
            guard let n = jwk.n.flatMap({ Base64URL.decode($0) }), let e = jwk.e.flatMap({ Base64URL.decode($0) }),
                  !n.isEmpty, !e.isEmpty else {
                throw CryptoError.invalidKey("RSA JWK needs base64url n and e")
            }
            try self.init(handle: Self.fromData(type: "RSA") { builder, storage in
                try Self.push(builder, "n", n, storage: storage)
                try Self.push(builder, "e", e, storage: storage)
            })
        case "EC":
            guard jwk.crv == "P-256" else { throw CryptoError.unsupportedKey("EC curve \(jwk.crv ?? "none"); only P-256 is accepted") }
            guard let x = jwk.x.flatMap({ Base64URL.decode($0) }), let y = jwk.y.flatMap({ Base64URL.decode($0) }),
                  x.count == 32, y.count == 32 else {
                throw CryptoError.invalidKey("P-256 JWK needs 32-byte base64url x and y")
            }
            let point = [0x04] + x + y
            let handle = try Self.fromData(type: "EC") { builder, storage in
                let group = storage.keep(Array("prime256v1".utf8) + [0])
                let pub = storage.keep(point)
                guard OSSL_PARAM_BLD_push_utf8_string(builder, storage.keep(name: "group"), group.baseAddress!.assumingMemoryBound(to: CChar.self), 0) == 1,
                      OSSL_PARAM_BLD_push_octet_string(builder, storage.keep(name: "pub"), pub.baseAddress, pub.count) == 1 else {
                    throw OpenSSL.failure("OSSL_PARAM_BLD_push (EC)")
                }
            }
            // Refuse points not on the curve (invalid-curve attacks) before the key is ever used.
            guard let check = EVP_PKEY_CTX_new_from_pkey(nil, handle.pointer, nil) else { throw OpenSSL.failure("EVP_PKEY_CTX_new_from_pkey") }
            defer { EVP_PKEY_CTX_free(check) }
            guard EVP_PKEY_public_check(check) == 1 else { throw CryptoError.invalidKey("EC point is not on P-256: \(OpenSSL.drainErrors())") }
            try self.init(handle: handle)
        default:
            throw CryptoError.unsupportedKey("JWK kty \(jwk.kty) is not RSA or EC")
        }
    }

    private static func push(_ builder: OpaquePointer, _ name: String, _ bytes: [UInt8], storage: ParameterStorage) throws {
        guard let bn = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw OpenSSL.failure("BN_bin2bn") }
        storage.numbers.append(bn)
        guard OSSL_PARAM_BLD_push_BN(builder, storage.keep(name: name), bn) == 1 else { throw OpenSSL.failure("OSSL_PARAM_BLD_push_BN(\(name))") }
    }

    private static func fromData(type: String, _ fill: (OpaquePointer, ParameterStorage) throws -> Void) throws -> EVPKeyHandle {
        guard let builder = OSSL_PARAM_BLD_new() else { throw OpenSSL.failure("OSSL_PARAM_BLD_new") }
        defer { OSSL_PARAM_BLD_free(builder) }
        let storage = ParameterStorage()
        // ARC may release a value after its last use; the builder's pointers must outlive to_param.
        defer { withExtendedLifetime(storage) {} }
        try fill(builder, storage)
        guard let params = OSSL_PARAM_BLD_to_param(builder) else { throw OpenSSL.failure("OSSL_PARAM_BLD_to_param") }
        defer { OSSL_PARAM_free(params) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { throw OpenSSL.failure("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer? = nil
        guard EVP_PKEY_fromdata_init(ctx) == 1,
              EVP_PKEY_fromdata(ctx, &pkey, cossl_EVP_PKEY_PUBLIC_KEY(), params) == 1, let pkey else {
            throw CryptoError.invalidKey("JWK does not form a valid \(type) key: \(OpenSSL.drainErrors())")
        }
        return EVPKeyHandle(taking: pkey)
    }
}

/// Memory that an `OSSL_PARAM_BLD` references until `OSSL_PARAM_BLD_to_param`: the builder stores
/// pointers to parameter names, BIGNUMs and buffers rather than copies, so Swift's temporary array pointers would
/// dangle. Everything kept here is freed when the storage goes away, after `to_param`.
private final class ParameterStorage {
    var numbers: [OpaquePointer] = []
    private var buffers: [UnsafeMutableRawBufferPointer] = []

    func keep(_ bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        buffer.copyBytes(from: bytes)
        buffers.append(buffer)
        return buffer
    }

    /// A NUL-terminated copy of a parameter name.
    func keep(name: String) -> UnsafePointer<CChar> {
        UnsafePointer(keep(Array(name.utf8) + [0]).baseAddress!.assumingMemoryBound(to: CChar.self))
    }

    deinit {
        numbers.forEach { BN_free($0) }
        buffers.forEach { $0.deallocate() }
    }
}
