import Cryptography

/// Reads a JWT's header or claims *without* verifying it — only to decide which key or
/// credential to verify it with. Nothing read here is trusted until the signature checks.
enum UnverifiedJWT {
    static let maximumLength = 16 * 1024

    static func claims(of token: String) throws -> JWTClaims {
        try JWTClaims(json: segment(1, of: token))
    }

    static func header(of token: String) throws -> JOSEHeader {
        try JOSEHeader(json: segment(0, of: token))
    }

    private static func segment(_ index: Int, of token: String) throws -> [UInt8] {
        guard token.utf8.count <= maximumLength else { throw CryptoError.tokenTooLarge }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64URL.decode(parts[index], allowPadding: true) else {
            throw CryptoError.malformedToken
        }
        return bytes
    }
}
