import Cryptography
import Foundation
import OAuthProtocol

/// `grant_type=authorization_code`: redeems a code from ``AuthorizeEndpoint`` once. The code is
/// bound to its client, its redirect URI and its PKCE challenge; a second redemption is refused
/// and revokes the refresh tokens the first one issued (RFC 6749 §4.1.2, RFC 7636).
public struct AuthorizationCodeGrant: TokenGrant {
    public let grantTypes = [GrantType.authorizationCode]
    public let flow = SignInFlow.authorizationCode
    public let clientRequirement = ClientRequirement.publicOrConfidential
    let store: any IdentityStore
    let minter: UserTokenMinter
    let refreshTokens: RefreshTokenService
    let clock: any IdentityClock
    let audit: AuditTrail

    static func hash(_ code: String) -> [UInt8] { Digest.sha256(Array(code.utf8)) }

    private struct AlreadyRedeemed: Error { let familyID: String? }

    public func validate(_ request: TokenRequest, tenant: Tenant) throws {
        _ = try request.requireParameter("code")
        _ = try request.requireParameter("redirect_uri")
    }

    public func authorize(_ request: TokenRequest, client resolved: ResolvedClient,
                          context: inout SignInContext) async throws -> GrantOutcome {
        let code = try request.requireParameter("code")
        let redirectURI = try request.requireParameter("redirect_uri")
        let tenant = context.tenant
        let client = resolved.application
        guard code.utf8.count <= 512, let record = try await store.authorizationCode(codeHash: Self.hash(code)),
              record.tenantID == tenant.id else { throw OAuthError.authorizationCodeInvalid }
        guard record.clientID == client.appID else { throw OAuthError.grantClientMismatch }
        let now = clock.now()
        if let redeemed = record.redeemedAt {
            try await revokeAfterReuse(record, redeemedAt: redeemed)
            throw OAuthError.authorizationCodeReused
        }
        guard now < record.expiresAt else { throw OAuthError.authorizationCodeInvalid }
        guard redirectURI == record.redirectURI else {
            throw OAuthError.redirectURIDiffersFromAuthorization(redirectURI)
        }
        let verifier = request.parameter("code_verifier")
        switch (record.codeChallenge, verifier) {
        case (nil, nil): break
        case (nil, .some): throw OAuthError.pkceUnexpectedVerifier
        case (.some, nil): throw OAuthError.pkceMissingVerifier
        case (.some(let challenge), .some(let verifier)):
            guard PKCE.verifies(verifier: verifier, challenge: challenge) else { throw OAuthError.pkceMismatch }
        }
        let version = EndpointVersion(rawValue: record.endpointVersion) ?? request.version
        let scope = version == .v1 ? UserScope.v1(resource: record.resource) : try UserScope.parse(scope: record.scope)
        var echoed = scope
        if version == .v2, let requested = request.parameter("scope"), let parsed = try? UserScope.parse(scope: requested) {
            echoed.requestedResourceScopes = parsed.requestedResourceScopes
        }
        guard let user = try await store.user(tenantID: tenant.id, objectID: record.userObjectID) else {
            throw OAuthError.authorizationCodeInvalid
        }
        context.subject = .user(user)
        context.authenticationMethods = record.authenticationMethods
        context.authenticatedAt = record.authenticatedAt
        let (resource, _) = try await minter.resolve(echoed, tenant: tenant)
        context.resource = resource
        let familyID = ObjectID.make()
        do {
            try await store.updateAuthorizationCode(codeHash: record.codeHash) { stored in
                guard stored.redeemedAt == nil else { throw AlreadyRedeemed(familyID: stored.issuedRefreshTokenFamilyID) }
                stored.redeemedAt = now
                stored.issuedRefreshTokenFamilyID = familyID
            }
        } catch let reused as AlreadyRedeemed {
            if let family = reused.familyID { try await refreshTokens.revokeFamily(family) }
            throw OAuthError.authorizationCodeReused
        }
        return .user(.init(
            tenant: tenant, user: user, client: client, clientAuthenticationClass: resolved.authenticationClass, scope: echoed,
            resource: resource, methods: record.authenticationMethods, authenticatedAt: record.authenticatedAt,
            nonce: record.nonce, address: record.clientAddress, version: request.version,
            refresh: .newFamily(familyID: familyID)))
    }

    private func revokeAfterReuse(_ record: AuthorizationCodeRecord, redeemedAt: Date) async throws {
        if let family = record.issuedRefreshTokenFamilyID { try await refreshTokens.revokeFamily(family) }
        await audit.record("code.reuse", tenantID: record.tenantID, outcome: "failure", subject: record.userObjectID,
                           clientID: record.clientID, details: ["family": record.issuedRefreshTokenFamilyID ?? ""])
    }
}
