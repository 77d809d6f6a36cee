import Cryptography
import Foundation
import OAuthProtocol

/// What a delegated token is for: who signed in, to which client, for which resource.
public struct UserTokenSubject: Sendable {
    public var tenant: Tenant
    public var user: User
    public var client: Application
    /// "0" public client, "1" secret, "2" certificate/federated.
    public var clientAuthenticationClass: String
    public var resource: Application
    /// `aud` as the client named the resource (v1 tokens keep it; v2 use the app id).
    public var audience: String
    /// `scp`.
    public var scopes: String
    public var authenticationMethods: [String]
    public var authenticatedAt: Date
    public var ipAddress: String?
    /// `wids`: template ids of the user's directory roles.
    public var directoryRoleTemplateIDs: [String] = []
}

extension TokenIssuer {
    /// ID tokens live an hour, as Entra's.
    static let idTokenLifetime = 3600

    /// The `_claim_sources` endpoint for a user's groups above the overage limit.
    public func userOverageEndpoint(userObjectID: String) -> String {
        "\(urls.baseURL)/v1.0/users/\(userObjectID)/getMemberObjects"
    }

    /// A delegated access token for `subject.user` calling `subject.resource` through `subject.client`.
    ///
    /// - Parameter notAfter: the end of a time-bound membership the `groups` claim relies on; the
    ///   token expires no later (beyond Entra, whose tokens outlive a just-in-time activation by
    ///   up to their lifetime; docs/just-in-time-access.md).
    public func issueUserAccessToken(_ subject: UserTokenSubject, groupIDs: [String], notAfter: Date? = nil) async throws -> IssuedToken {
        let now = Int(clock.now().timeIntervalSince1970)
        var expiresIn = lifetime.draw()
        if let notAfter {
            expiresIn = max(0, min(expiresIn, Int(notAfter.timeIntervalSince1970.rounded(.down)) - now))
        }
        let version = subject.resource.accessTokenVersion
        let user = subject.user
        let groups = GroupsClaim.make(groupIDs: groupIDs, overageLimit: groupOverageLimit,
                                      overageEndpoint: userOverageEndpoint(userObjectID: user.objectID))
        var claims = UserAccessTokenClaims(
            tokenVersion: version, audience: version == 1 ? subject.audience : subject.resource.appID,
            issuer: urls.issuer(tenantID: subject.tenant.id, tokenVersion: version), tenantID: subject.tenant.id,
            clientID: subject.client.appID, clientAuthenticationClass: subject.clientAuthenticationClass,
            userObjectID: user.objectID,
            subject: PairwiseSubject.make(userObjectID: user.objectID, clientID: subject.client.appID, tenantID: subject.tenant.id),
            userPrincipalName: user.userPrincipalName, name: user.displayName, givenName: user.givenName,
            familyName: user.familyName, authenticationMethods: subject.authenticationMethods, scopes: subject.scopes,
            groups: groups, ipAddress: subject.ipAddress, issuedAt: now, expiresAt: now + expiresIn,
            tokenID: Base64URL.encode(SecureRandom.bytes(16)))
        claims.directoryRoleTemplateIDs = subject.directoryRoleTemplateIDs
        let key = try await keyRing.activeKey()
        let signer = version == 1 ? key.signerWithX5T : key.signer
        return IssuedToken(token: try signer.sign(claimsJSON: claims.json.serialized()), issuedAt: now, expiresIn: expiresIn)
    }

    /// The OIDC ID token for the client.
    public func issueIDToken(_ subject: UserTokenSubject, nonce: String?) async throws -> String {
        let now = Int(clock.now().timeIntervalSince1970)
        let user = subject.user
        let claims = IDTokenClaims(
            clientID: subject.client.appID, issuer: urls.v2Issuer(tenantID: subject.tenant.id), tenantID: subject.tenant.id,
            userObjectID: user.objectID,
            subject: PairwiseSubject.make(userObjectID: user.objectID, clientID: subject.client.appID, tenantID: subject.tenant.id),
            userPrincipalName: user.userPrincipalName, name: user.displayName, nonce: nonce,
            authenticatedAt: Int(subject.authenticatedAt.timeIntervalSince1970), issuedAt: now,
            expiresAt: now + Self.idTokenLifetime, tokenID: Base64URL.encode(SecureRandom.bytes(16)))
        return try await keyRing.activeKey().signer.sign(claimsJSON: claims.json.serialized())
    }
}
