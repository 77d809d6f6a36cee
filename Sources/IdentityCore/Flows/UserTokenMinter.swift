import Foundation
import OAuthProtocol

/// Turns a signed-in user into a token response for every user flow (device code,
/// authorization code, refresh, password): access token, ID token, refresh token and
/// `client_info`, which azure-identity and MSAL Go need to build an account (docs/compatibility.md,
/// Token responses).
public struct UserTokenMinter: Sendable {
    public enum Refresh: Sendable {
        /// A new sign-in: start a refresh-token family (only when `offline_access` was asked for).
        case newFamily(familyID: String)
        /// A refresh the access decision allowed: rotate the presented token, hand out its successor.
        case rotate(presented: String, record: RefreshTokenRecord)
    }

    public struct Grant: Sendable {
        public var tenant: Tenant
        public var user: User
        public var client: Application
        public var clientAuthenticationClass: String
        public var scope: UserScope
        public var resource: Application
        public var methods: [String]
        public var authenticatedAt: Date
        public var nonce: String?
        public var address: String?
        public var version: EndpointVersion
        public var refresh: Refresh
    }

    let directory: DirectoryView
    let issuer: TokenIssuer
    let refreshTokens: RefreshTokenService
    let permissions: GrantedPermissions

    /// The resource app the scope names, and the `scp` it yields; throws before any side effect.
    func resolve(_ scope: UserScope, tenant: Tenant) async throws -> (Application, String) {
        guard let resource = try await directory.resource(tenantID: tenant.id, identifier: scope.resourceIdentifier) else {
            throw OAuthError.resourceNotFound(scope.resourceIdentifier, tenant: tenant.id)
        }
        return (resource, try scope.grantedScopes(of: resource))
    }

    /// The token response, and the access token's `uti` for the sign-in log.
    func mint(_ grant: Grant) async throws -> (TokenResponse, tokenID: String) {
        let scopes = try grant.scope.grantedScopes(of: grant.resource)
        let groups = try await directory.groupClosure(tenantID: grant.tenant.id, memberID: grant.user.objectID)
        let roleIDs = try await permissions.directoryRoleTemplateIDs(tenantID: grant.tenant.id, userObjectID: grant.user.objectID)
        let subject = UserTokenSubject(tenant: grant.tenant, user: grant.user, client: grant.client,
                                       clientAuthenticationClass: grant.clientAuthenticationClass, resource: grant.resource,
                                       audience: grant.scope.resourceIdentifier, scopes: scopes,
                                       authenticationMethods: grant.methods, authenticatedAt: grant.authenticatedAt,
                                       ipAddress: grant.address, directoryRoleTemplateIDs: roleIDs)
        // Rotate first: a lost rotation race (the token's second use) must not leave behind an
        // access token.
        var refreshToken: String?
        if case .rotate(let presented, let record) = grant.refresh {
            refreshToken = try await refreshTokens.rotate(presented, record: record)
        }
        let access = try await issuer.issueUserAccessToken(subject, groupIDs: groups.groupIDs, notAfter: groups.earliestEnd)
        let idToken = try await issuer.issueIDToken(subject, nonce: grant.nonce)
        if case .newFamily(let familyID) = grant.refresh {
            if grant.scope.oidcScopes.contains("offline_access") {
                refreshToken = try await refreshTokens.startFamily(
                    familyID: familyID, tenantID: grant.tenant.id, clientID: grant.client.appID,
                    userObjectID: grant.user.objectID, scope: grant.scope.stored(resourceAppID: grant.resource.appID),
                    authenticatedAt: grant.authenticatedAt, methods: grant.methods)
            }
        }
        return (TokenResponse(accessToken: access.token, expiresIn: access.expiresIn, expiresOn: access.expiresOn,
                             notBefore: access.issuedAt,
                             resource: grant.version == .v1 ? grant.scope.resourceIdentifier : nil,
                             scope: grant.version == .v2 ? grant.scope.responseScope : nil,
                             refreshToken: refreshToken, idToken: idToken,
                             clientInfo: ClientInfo.encode(userObjectID: grant.user.objectID, tenantID: grant.tenant.id)),
                access.tokenID)
    }
}
