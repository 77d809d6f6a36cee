import CJWT
import COpenSSL

/// The only code that calls libjwt 1.10.2. Everything here assumes the strict checks of
/// ``JWTVerifier`` / ``JWTSigner`` already ran: libjwt itself would accept `alg: none` with an
/// empty key, HMAC with a public key as secret, any curve for ES256, and crash on huge tokens.
enum LibJWT {
    static func algorithm(_ algorithm: JWSAlgorithm) -> jwt_alg_t? {
        switch algorithm {
        case .rs256: return JWT_ALG_RS256
        case .es256: return JWT_ALG_ES256
        case .ps256: return nil  // libjwt 1.10.2 has no PS256
        }
    }

    /// NUL-terminated copy of `bytes` for C string parameters.
    private static func withCString<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        (bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    /// `jwt_new` → `jwt_add_grants_json` → `jwt_add_header`… → `jwt_set_alg` → `jwt_encode_str`.
    /// libjwt adds `alg` and forces `typ: JWT` itself; jansson sorts the header keys.
    static func encode(claimsJSON: [UInt8], headers: [String: String], algorithm: JWSAlgorithm, privateKeyPEM: [UInt8]) throws -> String {
        guard let alg = Self.algorithm(algorithm) else { throw CryptoError.unsupportedAlgorithm("libjwt 1.10.2 cannot sign \(algorithm.rawValue)") }
        guard !claimsJSON.contains(0) else { throw CryptoError.invalidClaims("claims JSON contains a NUL byte") }
        var jwt: OpaquePointer? = nil
        guard jwt_new(&jwt) == 0, let jwt else { throw CryptoError.openSSLFailure("jwt_new failed") }
        defer { jwt_free(jwt) }
        let rc = withCString(claimsJSON) { jwt_add_grants_json(jwt, $0) }
        guard rc == 0 else { throw CryptoError.invalidClaims("libjwt refused the claims JSON (errno \(rc))") }
        for (name, value) in headers {
            let rc = jwt_add_header(jwt, name, value)
            guard rc == 0 else { throw CryptoError.invalidArgument("libjwt refused header \(name) (errno \(rc))") }
        }
        let setRC = privateKeyPEM.withUnsafeBufferPointer { jwt_set_alg(jwt, alg, $0.baseAddress, Int32($0.count)) }
        guard setRC == 0 else { throw CryptoError.openSSLFailure("jwt_set_alg failed (errno \(setRC))") }
        cjwt_set_errno(0)
        guard let encoded = jwt_encode_str(jwt) else {
            let errno = cjwt_errno()
            throw CryptoError.openSSLFailure("jwt_encode_str failed (errno \(errno)): \(OpenSSL.drainErrors())")
        }
        defer { free(encoded) }
        return String(cString: encoded)
    }

    /// `jwt_decode` with our key's PEM; true only for rc == 0 *and* the decoded alg equal to the
    /// pinned one (belt and braces: the caller already compared the header's alg).
    static func verify(token: String, publicKeyPEM: [UInt8], algorithm: JWSAlgorithm) -> Bool {
        // An empty key makes libjwt skip verification entirely; never let that happen.
        guard let expected = Self.algorithm(algorithm), !publicKeyPEM.isEmpty else { return false }
        var jwt: OpaquePointer? = nil
        let rc = publicKeyPEM.withUnsafeBufferPointer { jwt_decode(&jwt, token, $0.baseAddress, Int32($0.count)) }
        defer { if let jwt { jwt_free(jwt) } }
        guard rc == 0, let jwt, jwt_get_alg(jwt) == expected else {
            // libjwt never clears OpenSSL's thread-local error queue.
            ERR_clear_error()
            return false
        }
        return true
    }
}
