import Foundation

/// The Graph-compatible lookup behind the groups-overage claim (`_claim_sources`):
/// `POST <issuer-url>/v1.0/users/{oid}/getMemberObjects` (and `getMemberGroups`, and the same
/// under `servicePrincipals/`) answers every transitive group of the object.
///
/// Who may ask, as Entra decides it: the object itself with any access token kubeid issued to
/// it (a user's own token for the AKS server app, which is how clients follow the overage
/// pointer), or a Microsoft Graph token whose caller may read memberships
/// (``GraphAccessRule/readMemberships``: `GroupMember.Read.All` and the like). An app-only token
/// for any other resource may not: it would read anyone's groups.
public struct MemberObjectsQuery: Sendable {
    public enum ObjectKind: Sendable { case user, servicePrincipal }

    let verifier: AccessTokenVerifier
    let graph: GraphAuthenticator
    let directory: DirectoryView
    let store: any IdentityStore

    public func memberObjects(bearer: String?, objectID rawObjectID: String, kind: ObjectKind) async throws -> [String] {
        guard let bearer, !bearer.isEmpty else { throw GraphError.unauthorized("Access token is empty.") }
        let token: VerifiedAccessToken
        do {
            token = try await verifier.verify(bearer)
        } catch is AccessTokenVerifier.Refusal {
            throw GraphError.unauthorized("Access token validation failure. Invalid audience, signature or lifetime.")
        }
        guard let tenant = try await directory.tenant(token.tenantID), tenant.id == token.tenantID else {
            throw GraphError.unauthorized("Access token validation failure: not an access token issued by this service.")
        }
        guard let objectID = ObjectID.canonical(rawObjectID) else { throw GraphError.notFound }
        let asksAboutItself = token.objectID == objectID
        if !asksAboutItself {
            // A valid token for another resource is not a Graph token: no permission to look.
            let caller = try? await graph.authenticate(bearer: bearer)
            guard let caller, caller.isAllowed(.readMemberships) else {
                throw GraphError.forbidden("Insufficient privileges to complete the operation.")
            }
        }
        switch kind {
        case .user:
            guard let user = try await store.user(tenantID: tenant.id, objectID: objectID),
                  user.accountEnabled || !asksAboutItself else {
                throw GraphError.notFound
            }
        case .servicePrincipal:
            guard try await store.servicePrincipal(tenantID: tenant.id, objectID: objectID) != nil else { throw GraphError.notFound }
        }
        return try await directory.transitiveGroups(tenantID: tenant.id, memberID: objectID)
    }
}
