/// Issues compact JWS tokens with one key, one pinned algorithm and one `kid`.
///
/// The header is `{"alg":…,"kid":…,"typ":"JWT"}` plus `additionalHeaders` (e.g. `x5t`), keys sorted
/// bytewise, so both engines emit identical header bytes (libjwt's jansson sorts keys too).
/// The payload is the claims JSON as given for `.openSSL`; `.libjwt` re-serialises it through
/// `jwt_add_grants_json` (sorted, compact).
public struct JWTSigner: Sendable {
    public let key: PrivateKey
    public let algorithm: JWSAlgorithm
    public let keyID: String
    public let engine: JWTEngine
    private let headers: [String: String]
    private let encodedHeader: String
    /// Only for `.libjwt`, which wants the PEM on every call.
    private let privateKeyPEM: [UInt8]

    /// Header names callers may not set: the ones we own, and the ones that let a token pick its key.
    static let reservedHeaders: Set<String> = ["alg", "kid", "typ", "crit", "jku", "x5u", "jwk"]

    /// - Throws: `.unsupportedAlgorithm` if `key` cannot do `algorithm` or the engine is libjwt with PS256;
    ///   `.invalidArgument` for a reserved header name.
    public init(key: PrivateKey, algorithm: JWSAlgorithm, keyID: String, additionalHeaders: [String: String] = [:],
                engine: JWTEngine = .openSSL) throws {
        guard key.canSign(with: algorithm) else {
            throw CryptoError.unsupportedAlgorithm("\(algorithm.rawValue) needs a different key than \(key.kind)")
        }
        if engine == .libjwt, LibJWT.algorithm(algorithm) == nil {
            throw CryptoError.unsupportedAlgorithm("libjwt 1.10.2 cannot sign \(algorithm.rawValue)")
        }
        if let reserved = additionalHeaders.keys.first(where: { Self.reservedHeaders.contains($0) }) {
            throw CryptoError.invalidArgument("header \(reserved) cannot be set by the caller")
        }
        self.key = key
        self.algorithm = algorithm
        self.keyID = keyID
        self.engine = engine
        var headers = additionalHeaders
        headers["kid"] = keyID
        self.headers = headers
        var full = headers
        full["alg"] = algorithm.rawValue
        full["typ"] = "JWT"
        self.encodedHeader = Base64URL.encode(Array(JSONText.sortedObject(full).utf8))
        self.privateKeyPEM = engine == .libjwt ? Array(key.pemPKCS8.utf8) : []
    }

    /// Signs `claimsJSON` (which must be a JSON object without duplicate names) and returns the compact JWS.
    public func sign(claimsJSON: [UInt8]) throws -> String {
        do {
            _ = try JWTClaims(json: claimsJSON)
        } catch {
            throw CryptoError.invalidClaims("claims are not a JSON object without duplicate names")
        }
        switch engine {
        case .libjwt:
            return try LibJWT.encode(claimsJSON: claimsJSON, headers: headers, algorithm: algorithm, privateKeyPEM: privateKeyPEM)
        case .openSSL:
            var signingInput = encodedHeader
            signingInput += "."
            signingInput += Base64URL.encode(claimsJSON)
            let signature = try key.sign(Array(signingInput.utf8), algorithm: algorithm)
            signingInput += "."
            signingInput += Base64URL.encode(signature)
            return signingInput
        }
    }
}
