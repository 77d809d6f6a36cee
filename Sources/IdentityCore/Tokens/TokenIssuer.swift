import Cryptography
import Foundation
import OAuthProtocol

/// Signs access tokens with the key ring's active key.
public struct TokenIssuer: Sendable {
    public let urls: IssuerURLs
    let keyRing: KeyRing
    let lifetime: AccessTokenLifetime
    public let groupOverageLimit: Int
    let clock: any IdentityClock

    public init(urls: IssuerURLs, keyRing: KeyRing, lifetime: AccessTokenLifetime = .entraDefault,
                groupOverageLimit: Int = GroupsClaim.defaultOverageLimit, clock: any IdentityClock = SystemClock()) {
        self.urls = urls
        self.keyRing = keyRing
        self.lifetime = lifetime
        self.groupOverageLimit = groupOverageLimit
        self.clock = clock
    }

    /// An app-only token for `principal` to call `resource`.
    /// - Parameter audience: `aud` as the client named the resource (v1 tokens keep the
    ///   requested form; v2 tokens always carry the resource's app id).
    public func issueAppToken(tenant: Tenant, client: AuthenticatedClient, principal: ServicePrincipal,
                              resource: Application, audience: String, groupIDs: [String],
                              roles: [String] = []) async throws -> IssuedToken {
        let now = Int(clock.now().timeIntervalSince1970)
        let expiresIn = lifetime.draw()
        let version = resource.accessTokenVersion
        let tokenID = Base64URL.encode(SecureRandom.bytes(16))
        let groups = GroupsClaim.make(
            groupIDs: groupIDs, overageLimit: groupOverageLimit,
            overageEndpoint: "\(urls.baseURL)/v1.0/servicePrincipals/\(principal.objectID)/getMemberObjects")
        let claims = AppAccessTokenClaims(
            tokenVersion: version, audience: version == 1 ? audience : resource.appID,
            issuer: urls.issuer(tenantID: tenant.id, tokenVersion: version), tenantID: tenant.id,
            clientID: client.record.application.appID, servicePrincipalObjectID: principal.objectID,
            clientAuthenticationClass: client.method.authenticationClass, groups: groups,
            roles: roles, issuedAt: now, expiresAt: now + expiresIn, tokenID: tokenID)
        let key = try await keyRing.activeKey()
        let signer = version == 1 ? key.signerWithX5T : key.signer
        let token = try signer.sign(claimsJSON: claims.json.serialized())
        return IssuedToken(token: token, issuedAt: now, expiresIn: expiresIn, tokenID: tokenID)
    }
}

/// A signed token and its timing, for the response.
public struct IssuedToken: Sendable {
    public var token: String
    public var issuedAt: Int
    public var expiresIn: Int
    /// The token's `uti` (v1/v2 `uti`; the audit trail's link to the token without its value).
    public var tokenID: String = ""
    public var expiresOn: Int { issuedAt + expiresIn }
}
