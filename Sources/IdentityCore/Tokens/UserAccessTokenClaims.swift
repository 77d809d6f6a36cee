import Cryptography
import OAuthProtocol

/// Claims of a delegated (user) access token, in Entra's shape (docs/compatibility.md, Token
/// claims). v1 (what the AKS server app receives) carries `upn`, `unique_name`, `amr`,
/// `appid`/`appidacr` and `ipaddr`; v2 names the client `azp`/`azpacr` and the user
/// `preferred_username`.
public struct UserAccessTokenClaims: Sendable {
    /// "1.0" or "2.0" shape, chosen by the resource's accepted version.
    public var tokenVersion: Int
    /// `aud`: the resource as requested (v1) or its app id (v2).
    public var audience: String
    public var issuer: String
    public var tenantID: String
    /// `appid`/`azp`: the client the user signed in to.
    public var clientID: String
    /// `appidacr`/`azpacr`: "0" public client, "1" secret, "2" certificate.
    public var clientAuthenticationClass: String
    /// `oid`: the user's object id (what Azure RBAC and guard's `extra.oid` key on).
    public var userObjectID: String
    /// `sub`: pairwise per client (``PairwiseSubject``).
    public var subject: String
    /// `upn`, `unique_name` (v1), `preferred_username` (v2).
    public var userPrincipalName: String
    public var name: String
    public var givenName: String?
    public var familyName: String?
    /// `amr`: how the user signed in, e.g. `["pwd"]` or `["pwd","mfa"]` (v1 only, as Entra).
    public var authenticationMethods: [String]
    /// `scp`: space-separated delegated scopes (`user.read` for the AKS server app).
    public var scopes: String
    public var groups: GroupsClaim
    /// `ipaddr`: where the user signed in from (v1 only).
    public var ipAddress: String?
    public var issuedAt: Int
    public var expiresAt: Int
    /// `uti`: unique token id.
    public var tokenID: String
    /// `wids`: template ids of the user's directory roles (omitted when none).
    public var directoryRoleTemplateIDs: [String] = []

    /// `aio` and `rh`: opaque values Entra puts in every token (clients must ignore them), drawn
    /// once when the claims are made so every read of ``json`` (the signed payload, a log line,
    /// a test) shows the same token.
    public let aio: String
    public let rh: String

    public init(tokenVersion: Int, audience: String, issuer: String, tenantID: String, clientID: String,
                clientAuthenticationClass: String, userObjectID: String, subject: String, userPrincipalName: String,
                name: String, givenName: String?, familyName: String?, authenticationMethods: [String], scopes: String,
                groups: GroupsClaim, ipAddress: String?, issuedAt: Int, expiresAt: Int, tokenID: String) {
        self.tokenVersion = tokenVersion
        self.audience = audience
        self.issuer = issuer
        self.tenantID = tenantID
        self.clientID = clientID
        self.clientAuthenticationClass = clientAuthenticationClass
        self.userObjectID = userObjectID
        self.subject = subject
        self.userPrincipalName = userPrincipalName
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.authenticationMethods = authenticationMethods
        self.scopes = scopes
        self.groups = groups
        self.ipAddress = ipAddress
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.aio = Base64URL.encode(SecureRandom.bytes(12))
        self.rh = "1." + Base64URL.encode(SecureRandom.bytes(12))
    }

    /// The payload, members in Entra's order.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("aud", .string(audience)),
            ("iss", .string(issuer)),
            ("iat", .integer(issuedAt)),
            ("nbf", .integer(issuedAt)),
            ("exp", .integer(expiresAt)),
        ]
        if tokenVersion == 1 {
            members.append(("acr", .string("1")))
            members.append(("aio", .string(aio)))
            members.append(("amr", .strings(authenticationMethods)))
            members.append(("appid", .string(clientID)))
            members.append(("appidacr", .string(clientAuthenticationClass)))
            if let familyName { members.append(("family_name", .string(familyName))) }
            if let givenName { members.append(("given_name", .string(givenName))) }
            members.append(contentsOf: groups.claimMembers)
            if let ipAddress { members.append(("ipaddr", .string(ipAddress))) }
            members.append(("name", .string(name)))
            members.append(("oid", .string(userObjectID)))
            members.append(("rh", .string(rh)))
            members.append(("scp", .string(scopes)))
            members.append(("sub", .string(subject)))
            members.append(("tid", .string(tenantID)))
            members.append(("unique_name", .string(userPrincipalName)))
            members.append(("upn", .string(userPrincipalName)))
            members.append(("uti", .string(tokenID)))
            members.append(("ver", .string("1.0")))
            if !directoryRoleTemplateIDs.isEmpty { members.append(("wids", .strings(directoryRoleTemplateIDs))) }
        } else {
            members.append(("aio", .string(aio)))
            members.append(("azp", .string(clientID)))
            members.append(("azpacr", .string(clientAuthenticationClass)))
            members.append(contentsOf: groups.claimMembers)
            members.append(("name", .string(name)))
            members.append(("oid", .string(userObjectID)))
            members.append(("preferred_username", .string(userPrincipalName)))
            members.append(("rh", .string(rh)))
            members.append(("scp", .string(scopes)))
            members.append(("sub", .string(subject)))
            members.append(("tid", .string(tenantID)))
            members.append(("uti", .string(tokenID)))
            members.append(("ver", .string("2.0")))
            if !directoryRoleTemplateIDs.isEmpty { members.append(("wids", .strings(directoryRoleTemplateIDs))) }
        }
        return .object(members)
    }
}
