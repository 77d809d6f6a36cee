/// The members of a token's JOSE header that matter to us, parsed by our own strict JSON parser
/// (libjwt never sees a token before this parse succeeds).
public struct JOSEHeader: Sendable {
    public var algorithm: String
    public var keyID: String?
    public var type: String?
    /// Base64url SHA-1 certificate thumbprint (client assertions made with a certificate).
    public var x5t: String?
    public var x5tS256: String?
    public var x5c: [String]?
    /// Members a verifier must refuse rather than honour (RFC 8725 §3.10: they let the token
    /// choose its own key or make us fetch URLs).
    public var hasCritical: Bool
    public var hasJKU: Bool
    public var hasX5U: Bool
    public var hasEmbeddedJWK: Bool

    public init(algorithm: String, keyID: String? = nil, type: String? = nil, x5t: String? = nil, x5tS256: String? = nil,
                x5c: [String]? = nil, hasCritical: Bool = false, hasJKU: Bool = false, hasX5U: Bool = false, hasEmbeddedJWK: Bool = false) {
        self.algorithm = algorithm
        self.keyID = keyID
        self.type = type
        self.x5t = x5t
        self.x5tS256 = x5tS256
        self.x5c = x5c
        self.hasCritical = hasCritical
        self.hasJKU = hasJKU
        self.hasX5U = hasX5U
        self.hasEmbeddedJWK = hasEmbeddedJWK
    }

    /// Parses header JSON; wrong member types and duplicate names are `.malformedToken`.
    public init(json: [UInt8]) throws {
        guard case .object(let members) = try JSONParser.parse(json) else {
            throw CryptoError.malformedToken("JOSE header is not a JSON object")
        }
        func string(_ name: String) throws -> String? {
            guard let value = members[name] else { return nil }
            guard let text = value.stringValue else { throw CryptoError.malformedToken("header member \(name) is not a string") }
            return text
        }
        guard let algorithm = try string("alg") else { throw CryptoError.malformedToken("header has no alg") }
        var x5c: [String]? = nil
        if let value = members["x5c"] {
            guard case .array(let elements) = value else { throw CryptoError.malformedToken("header x5c is not an array") }
            x5c = try elements.map {
                guard let text = $0.stringValue else { throw CryptoError.malformedToken("header x5c holds a non-string") }
                return text
            }
        }
        self.init(algorithm: algorithm, keyID: try string("kid"), type: try string("typ"), x5t: try string("x5t"),
                  x5tS256: try string("x5t#S256"), x5c: x5c, hasCritical: members["crit"] != nil,
                  hasJKU: members["jku"] != nil, hasX5U: members["x5u"] != nil, hasEmbeddedJWK: members["jwk"] != nil)
    }
}
