import Cryptography
import Foundation
import OAuthProtocol

/// Claims of an app-only access token (client credentials or a federated assertion), in the
/// shape of Entra's (docs/compatibility.md, Token claims). v1 (what the AKS server app receives)
/// names the client `appid` and `appidacr`; v2 names it `azp` and `azpacr`.
public struct AppAccessTokenClaims: Sendable {
    /// "1.0" or "2.0" shape, chosen by the *resource's* accepted version, not the endpoint.
    public var tokenVersion: Int
    /// `aud`: the resource as requested (v1: GUID or identifier URI), or its app id (v2).
    public var audience: String
    /// `iss`: the v1 or v2 issuer of the tenant on kubeid's own host.
    public var issuer: String
    public var tenantID: String
    /// `appid`/`azp`: the client id.
    public var clientID: String
    /// `oid` and `sub`: the service principal's object id.
    public var servicePrincipalObjectID: String
    /// `appidacr`/`azpacr`: "1" secret, "2" certificate or federated assertion.
    public var clientAuthenticationClass: String
    public var groups: GroupsClaim
    /// `roles`: app roles assigned to the principal on the resource (omitted when empty).
    public var roles: [String]
    public var issuedAt: Int
    public var expiresAt: Int
    /// `uti`: unique token id.
    public var tokenID: String

    /// `aio` and `rh`: opaque values Entra puts in every token (clients must ignore them), drawn
    /// once when the claims are made so every read of ``json`` (the signed payload, a log line,
    /// a test) shows the same token.
    public let aio: String
    public let rh: String

    public init(tokenVersion: Int, audience: String, issuer: String, tenantID: String, clientID: String,
                servicePrincipalObjectID: String, clientAuthenticationClass: String, groups: GroupsClaim,
                roles: [String] = [], issuedAt: Int, expiresAt: Int, tokenID: String) {
        self.tokenVersion = tokenVersion
        self.audience = audience
        self.issuer = issuer
        self.tenantID = tenantID
        self.clientID = clientID
        self.servicePrincipalObjectID = servicePrincipalObjectID
        self.clientAuthenticationClass = clientAuthenticationClass
        self.groups = groups
        self.roles = roles
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
            ("aio", .string(aio)),
        ]
        if tokenVersion == 1 {
            members.append(("appid", .string(clientID)))
            members.append(("appidacr", .string(clientAuthenticationClass)))
        } else {
            members.append(("azp", .string(clientID)))
            members.append(("azpacr", .string(clientAuthenticationClass)))
        }
        members.append(contentsOf: groups.claimMembers)
        if tokenVersion == 1 { members.append(("idp", .string(issuer))) }
        members.append(("idtyp", .string("app")))
        members.append(("oid", .string(servicePrincipalObjectID)))
        members.append(("rh", .string(rh)))
        if !roles.isEmpty { members.append(("roles", .strings(roles))) }
        members.append(("sub", .string(servicePrincipalObjectID)))
        members.append(("tid", .string(tenantID)))
        members.append(("uti", .string(tokenID)))
        members.append(("ver", .string(tokenVersion == 1 ? "1.0" : "2.0")))
        return .object(members)
    }
}

extension GroupsClaim {
    /// `groups`, or the overage pair, as payload members.
    var claimMembers: [(String, JSONValue)] {
        switch self {
        case .groups(let ids):
            return ids.isEmpty ? [] : [("groups", .strings(ids))]
        case .overage(let endpoint):
            return [("_claim_names", .object([("groups", .string("src1"))])),
                    ("_claim_sources", .object([("src1", .object([("endpoint", .string(endpoint))]))]))]
        }
    }
}
