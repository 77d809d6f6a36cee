import Cryptography
import Foundation

/// The Graph-compatible lookup behind the groups-overage claim (`_claim_sources`):
/// `POST <issuer-url>/v1.0/users/{oid}/getMemberObjects` (and `getMemberGroups`, and the same
/// under `servicePrincipals/`) answers every transitive group of the object (SECURITY.md item 36).
///
/// The bearer must be an access token kubeid issued (signature by a published key, `iss` of its
/// tenant in v1 or v2 form, not expired, and an access token: it names a client in `appid`/`azp`,
/// which ID tokens never do). A user may ask about themselves; an app-only token may ask about any
/// object of its tenant, as a service like guard does.
public struct MemberObjectsQuery: Sendable {
    public enum ObjectKind: Sendable { case user, servicePrincipal }

    let keyRing: KeyRing
    let urls: IssuerURLs
    let directory: DirectoryView
    let store: any IdentityStore
    let clock: any IdentityClock

    public func memberObjects(bearer: String?, objectID rawObjectID: String, kind: ObjectKind) async throws -> [String] {
        guard let bearer, !bearer.isEmpty else { throw GraphError.unauthorized("Access token is empty.") }
        let keys = try await keyRing.verificationKeys()
        let claims: JWTClaims
        do {
            claims = try JWTVerifier(engine: .openSSL).verify(bearer) { header in header.keyID.flatMap { keys[$0] } }.claims
            try claims.validate(now: clock.now(), issuer: nil, audience: nil)
        } catch {
            throw GraphError.unauthorized("Access token validation failure. Invalid audience, signature or lifetime.")
        }
        guard let tenantID = claims.string("tid"),
              claims.issuer == urls.v1Issuer(tenantID: tenantID) || claims.issuer == urls.v2Issuer(tenantID: tenantID),
              claims.string("appid") != nil || claims.string("azp") != nil,
              let callerID = claims.string("oid"),
              let tenant = try await directory.tenant(tenantID), tenant.id == tenantID else {
            throw GraphError.unauthorized("Access token validation failure: not an access token issued by this service.")
        }
        guard let objectID = ObjectID.canonical(rawObjectID) else { throw GraphError.notFound }
        let isAppToken = claims.string("idtyp") == "app"
        guard callerID == objectID || isAppToken else {
            throw GraphError.forbidden("Insufficient privileges to complete the operation.")
        }
        switch kind {
        case .user:
            guard let user = try await store.user(tenantID: tenant.id, objectID: objectID), user.accountEnabled || isAppToken else {
                throw GraphError.notFound
            }
        case .servicePrincipal:
            guard try await store.servicePrincipal(tenantID: tenant.id, objectID: objectID) != nil else { throw GraphError.notFound }
        }
        return try await directory.transitiveGroups(tenantID: tenant.id, memberID: objectID)
    }
}
