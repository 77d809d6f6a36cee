import Cryptography
import OAuthProtocol

/// Claims of an OpenID Connect ID token (v2 shape, as Entra issues them to MSAL;
/// docs/compatibility.md, Token responses). azure-identity and MSAL Go build their account records
/// from it, so `iss` is kubeid's own v2 issuer, `aud` is a JSON string and every time is an
/// integer.
public struct IDTokenClaims: Sendable {
    /// `aud`: the client id (OIDC Core §2: "It MUST contain the OAuth 2.0 client_id").
    public var clientID: String
    /// `iss`: `<issuer-url>/<tid>/v2.0`.
    public var issuer: String
    public var tenantID: String
    public var userObjectID: String
    /// `sub`: the same pairwise value as in the access token.
    public var subject: String
    public var userPrincipalName: String
    public var name: String
    /// `nonce`: echoed verbatim from the authorization request (MSAL compares it byte for byte).
    public var nonce: String?
    /// `auth_time`: when the user actually authenticated (OIDC Core §2).
    public var authenticatedAt: Int
    public var issuedAt: Int
    public var expiresAt: Int
    public var tokenID: String

    /// `aio` and `rh`: opaque values Entra puts in every token (clients must ignore them), drawn
    /// once when the claims are made so every read of ``json`` (the signed payload, a log line,
    /// a test) shows the same token.
    public let aio: String
    public let rh: String

    public init(clientID: String, issuer: String, tenantID: String, userObjectID: String, subject: String,
                userPrincipalName: String, name: String, nonce: String?, authenticatedAt: Int, issuedAt: Int,
                expiresAt: Int, tokenID: String) {
        self.clientID = clientID
        self.issuer = issuer
        self.tenantID = tenantID
        self.userObjectID = userObjectID
        self.subject = subject
        self.userPrincipalName = userPrincipalName
        self.name = name
        self.nonce = nonce
        self.authenticatedAt = authenticatedAt
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.aio = Base64URL.encode(SecureRandom.bytes(12))
        self.rh = "1." + Base64URL.encode(SecureRandom.bytes(12))
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("aud", .string(clientID)),
            ("iss", .string(issuer)),
            ("iat", .integer(issuedAt)),
            ("nbf", .integer(issuedAt)),
            ("exp", .integer(expiresAt)),
            ("aio", .string(aio)),
            ("auth_time", .integer(authenticatedAt)),
            ("name", .string(name)),
        ]
        if let nonce { members.append(("nonce", .string(nonce))) }
        members.append(("oid", .string(userObjectID)))
        members.append(("preferred_username", .string(userPrincipalName)))
        members.append(("rh", .string(rh)))
        members.append(("sub", .string(subject)))
        members.append(("tid", .string(tenantID)))
        members.append(("uti", .string(tokenID)))
        members.append(("ver", .string("2.0")))
        return .object(members)
    }
}
