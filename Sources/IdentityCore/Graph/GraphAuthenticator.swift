import Cryptography
import OAuthProtocol

/// Turns the bearer token of a Graph request into a ``GraphCaller``, or a Graph 401.
///
/// Beyond ``AccessTokenVerifier``: the audience must be Microsoft Graph (its app id or
/// identifier URI, as Entra's Graph tokens carry either), the tenant and the calling principal
/// must still exist and be enabled. Scope and permission names compare ignoring case, as Entra
/// compares them.
public struct GraphAuthenticator: Sendable {
    let verifier: AccessTokenVerifier
    let store: any IdentityStore
    let permissions: GrantedPermissions

    public init(verifier: AccessTokenVerifier, store: any IdentityStore, permissions: GrantedPermissions) {
        self.verifier = verifier
        self.store = store
        self.permissions = permissions
    }

    static let graphAudiences: Set<String> = [
        WellKnownApplications.graphAppID, WellKnownApplications.graphIdentifierURI, WellKnownApplications.graphIdentifierURI + "/",
    ]

    public func authenticate(bearer: String?) async throws -> GraphCaller {
        guard let bearer, !bearer.isEmpty else {
            throw GraphError.unauthorized("Access token is empty.")
        }
        let token: VerifiedAccessToken
        do {
            token = try await verifier.verify(bearer)
        } catch let refusal as AccessTokenVerifier.Refusal where refusal == .expired {
            throw GraphError.unauthorized("Lifetime validation failed, the token is expired.")
        } catch is AccessTokenVerifier.Refusal {
            throw GraphError.unauthorized("Access token validation failure. Invalid audience, signature or lifetime.")
        }
        guard token.claims.audiences.contains(where: Self.graphAudiences.contains) else {
            throw GraphError.unauthorized("Access token validation failure. Invalid audience.")
        }
        guard let tenant = try await store.tenant(id: token.tenantID) else {
            throw GraphError.unauthorized("Access token validation failure: the tenant does not exist.")
        }
        if token.isApplication {
            guard let principal = try await store.servicePrincipal(tenantID: tenant.id, objectID: token.objectID),
                  principal.accountEnabled else {
                throw GraphError.unauthorized("Access token validation failure: the service principal is disabled or deleted.")
            }
            return GraphCaller(tenant: tenant, objectID: principal.objectID, clientID: token.clientID,
                               kind: .application(permissions: Set(token.roles.map { $0.lowercased() })))
        }
        guard let user = try await store.user(tenantID: tenant.id, objectID: token.objectID), user.accountEnabled else {
            throw GraphError.unauthorized("Access token validation failure: the user is disabled or deleted.")
        }
        let roles = try await permissions.directoryRoleTemplateIDs(tenantID: tenant.id, userObjectID: user.objectID)
        return GraphCaller(tenant: tenant, objectID: user.objectID, clientID: token.clientID,
                           kind: .delegated(scopes: Set(token.scopes.map { $0.lowercased() }), roleTemplateIDs: Set(roles)),
                           authenticationMethods: token.claims.strings("amr") ?? [])
    }
}
