import Cryptography
import Foundation
import OAuthProtocol

/// The TokenReview decision for one cluster (Kubernetes webhook token authentication): who a bearer
/// token belongs to.
///
/// A token is accepted only when it is an access token kubeid issued for the AKS server app in
/// the cluster's AAD tenant, and its principal still exists and is enabled:
/// - signature by a published key of ours, the algorithm pinned by that key (``JWTVerifier``);
/// - `iss` exactly the tenant's v1 issuer (`<issuer-url>/<tid>/`), or its v2 issuer for
///   `ver` 2.0 tokens; `tid` the cluster's AAD tenant;
/// - `aud` contains the cluster's audience: its own (`--audience`) or else `6dae42f8-…`, the AKS
///   server app every cluster shares (a token for another audience, such as an ID token whose
///   `aud` is a client id or a token for another cluster's own audience, is refused);
/// - an access token: it names its client in `appid` (v1) or `azp` (v2), which ID tokens never do;
/// - `exp` not passed and `nbf` reached, with no leeway (kube-apiserver's own verifier allows none
///   on `exp`, and kubeid's clock is the one that issued the token).
///
/// The user is `upn` for people (`oid` when a v2 token has none) and `oid` for service
/// principals (`idtyp: app`), `uid` and `extra.oid` are `oid`, and `groups` are the principal's
/// transitive groups as the directory has them at review time (the token's `groups` claim is a
/// snapshot from when it was issued). A token's verified signature is remembered until its
/// `exp` (``VerifiedTokenCache``); nothing else about it is.
public struct ClusterTokenReviewer: Sendable {
    let keyRing: KeyRing
    let urls: IssuerURLs
    let directory: DirectoryView
    let clock: any IdentityClock
    let verifiedTokens: VerifiedTokenCache

    public init(keyRing: KeyRing, urls: IssuerURLs, directory: DirectoryView, clock: any IdentityClock) {
        self.verifiedTokens = VerifiedTokenCache()
        self.keyRing = keyRing
        self.urls = urls
        self.directory = directory
        self.clock = clock
    }

    public enum Outcome: Sendable, Equatable {
        case authenticated(KubernetesUser)
        /// A short reason for `status.error` (never the token).
        case refused(String)
    }

    public func review(token: String, for cluster: Cluster) async throws -> Outcome {
        try await review(token: token, for: cluster, requestedAudiences: nil).outcome
    }

    /// The decision, and the `status.audiences` to answer: only audiences the caller asked for
    /// (`spec.audiences`) that the token really carries and the cluster accepts. The TokenReview
    /// contract (authentication.k8s.io/v1 `TokenReviewStatus.audiences`) makes these the
    /// intersection of the request's and the token's audiences; an empty answer with
    /// `authenticated: true` means "valid for the API server's own audience", which is what a
    /// kubeid token reviewed by its cluster's webhook is. Echoing the request would make every
    /// token valid for any audience a TokenReview client asks kube-apiserver about.
    public func review(token: String, for cluster: Cluster, requestedAudiences: [String]?) async throws
        -> (outcome: Outcome, audiences: [String]) {
        var tokenAudiences: [String] = []
        let outcome = try await decide(token: token, for: cluster, audiences: &tokenAudiences)
        guard case .authenticated = outcome, let requestedAudiences else { return (outcome, []) }
        let granted = requestedAudiences.filter { tokenAudiences.contains($0) && $0 == cluster.acceptedAudience }
        var seen = Set<String>()
        return (outcome, granted.filter { seen.insert($0).inserted })
    }

    private func decide(token: String, for cluster: Cluster, audiences: inout [String]) async throws -> Outcome {
        guard let profile = cluster.aadProfile else { return .refused("AAD is not enabled for this cluster") }
        guard !token.isEmpty else { return .refused("token is empty") }
        let keys = try await keyRing.verificationKeys()
        let now = clock.now()
        let claims: JWTClaims
        if let verified = verifiedTokens.claims(of: token, now: now), keys[verified.keyID] != nil {
            claims = verified.claims
        } else {
            do {
                let verified = try JWTVerifier(engine: .openSSL).verify(token) { header in header.keyID.flatMap { keys[$0] } }
                claims = verified.claims
                verifiedTokens.remember(token, claims: claims, keyID: verified.key.keyID, now: now)
            } catch {
                return .refused("token signature is not valid")
            }
        }
        do {
            try claims.validate(now: now, issuer: nil, audience: nil, leeway: 0)
        } catch let error as CryptoError where error.code == .expired {
            return .refused("token is expired")
        } catch {
            return .refused("token is not valid yet or has malformed times")
        }
        let tenantID = profile.tenantID
        let v2 = claims.string("ver") == "2.0"
        let expectedIssuer = v2 ? urls.v2Issuer(tenantID: tenantID) : urls.v1Issuer(tenantID: tenantID)
        guard claims.issuer == expectedIssuer, claims.string("tid") == tenantID else {
            return .refused("token was not issued for this cluster's tenant")
        }
        guard claims.audiences.contains(cluster.acceptedAudience) else {
            return .refused(cluster.audience == nil ? "token audience is not the AKS server application"
                                                    : "token audience is not this cluster's audience")
        }
        audiences = claims.audiences
        guard claims.string("appid") != nil || claims.string("azp") != nil else {
            return .refused("not an access token")
        }
        guard let oid = claims.string("oid").flatMap(ObjectID.canonical) else { return .refused("token has no oid") }
        let isApp = claims.string("idtyp") == "app"
        let username: String
        if isApp {
            guard try await directory.isEnabled(tenantID: tenantID, objectID: oid, servicePrincipal: true) else {
                return .refused("service principal is disabled or deleted")
            }
            username = oid
        } else {
            guard try await directory.isEnabled(tenantID: tenantID, objectID: oid, servicePrincipal: false) else {
                return .refused("user is disabled or deleted")
            }
            username = claims.string("upn") ?? oid
        }
        // The groups as the directory has them now, not as the token carried them: a just-in-time
        // activation that ended, or a member removed, loses access at once on webhook-mode
        // clusters, even with a token still inside its lifetime (and an overage token has none).
        let groups = try await directory.transitiveGroups(tenantID: tenantID, memberID: oid)
        return .authenticated(KubernetesUser(username: username, uid: oid, groups: groups, extra: ["oid": [oid]]))
    }
}
