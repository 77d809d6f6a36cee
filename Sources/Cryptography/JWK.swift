/// A public JSON Web Key (RFC 7517) as published in a JWKS.
///
/// It has no members for private parameters (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`) at all, so
/// whatever code builds one, encoding it can never leak a private key (the JWKS serves public parts
/// only). When decoding, such members are ignored. Nil members are omitted from the JSON.
public struct JWK: Codable, Sendable, Hashable {
    public var kty: String
    public var use: String?
    public var kid: String?
    /// Base64url SHA-1 thumbprint of the first `x5c` certificate (Entra publishes it; MSAL uses it).
    public var x5t: String?
    public var n: String?
    public var e: String?
    public var crv: String?
    public var x: String?
    public var y: String?
    /// Standard-base64 DER certificates, leaf first.
    public var x5c: [String]?
    /// Entra's non-standard JWKS member naming the issuer the key signs for.
    public var issuer: String?
    public var alg: String?

    public init(kty: String, use: String? = nil, kid: String? = nil, x5t: String? = nil, n: String? = nil, e: String? = nil,
                crv: String? = nil, x: String? = nil, y: String? = nil, x5c: [String]? = nil, issuer: String? = nil, alg: String? = nil) {
        self.kty = kty
        self.use = use
        self.kid = kid
        self.x5t = x5t
        self.n = n
        self.e = e
        self.crv = crv
        self.x = x
        self.y = y
        self.x5c = x5c
        self.issuer = issuer
        self.alg = alg
    }
}

/// A JWK Set document (RFC 7517 §5), the body of the `jwks_uri` endpoint.
public struct JWKSet: Codable, Sendable {
    public var keys: [JWK]

    public init(keys: [JWK]) { self.keys = keys }
}
