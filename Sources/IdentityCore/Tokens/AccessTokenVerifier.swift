import Cryptography
import Foundation

/// "An access token kubeid issued": the one check behind the Graph admin API, the groups-overage
/// lookup and the TokenReview webhook.
///
/// A token passes when its signature is by a published key of ours (algorithm pinned by that
/// key, never the header's), `exp`/`nbf` hold within `leeway`, `iss` is exactly its tenant's
/// v2 issuer for `ver` 2.0 and v1 issuer otherwise, and it names its client in `appid`/`azp`
/// (ID tokens never do) and its principal in `oid`. The audience is the caller's to check: each
/// consumer accepts different ones.
public struct AccessTokenVerifier: Sendable {
    /// Why a token was refused, phrased for a log line or a TokenReview `status.error`.
    public enum Refusal: Error, Sendable, Equatable {
        case empty
        case signature
        case expired
        case lifetime
        case issuer
        case notAnAccessToken
        case noObjectID

        public var reason: String {
            switch self {
            case .empty: "token is empty"
            case .signature: "token signature is not valid"
            case .expired: "token is expired"
            case .lifetime: "token is not valid yet or has malformed times"
            case .issuer: "token was not issued by this service for its tenant"
            case .notAnAccessToken: "not an access token"
            case .noObjectID: "token has no oid"
            }
        }
    }

    let keyRing: KeyRing
    let urls: IssuerURLs
    let clock: any IdentityClock

    public init(keyRing: KeyRing, urls: IssuerURLs, clock: any IdentityClock) {
        self.keyRing = keyRing
        self.urls = urls
        self.clock = clock
    }

    /// - Parameter leeway: clock skew allowed on `exp`/`nbf` (0 where kube-apiserver allows none).
    public func verify(_ token: String, leeway: TimeInterval = JWTClaims.maximumLeeway) async throws -> VerifiedAccessToken {
        guard !token.isEmpty else { throw Refusal.empty }
        let keys = try await keyRing.verificationKeys()
        let claims: JWTClaims
        do {
            claims = try JWTVerifier(engine: .openSSL).verify(token) { header in header.keyID.flatMap { keys[$0] } }.claims
        } catch {
            throw Refusal.signature
        }
        do {
            try claims.validate(now: clock.now(), issuer: nil, audience: nil, leeway: leeway)
        } catch let error as CryptoError where error.code == .expired {
            throw Refusal.expired
        } catch {
            throw Refusal.lifetime
        }
        guard let tenantID = claims.string("tid").flatMap(ObjectID.canonical) else { throw Refusal.issuer }
        let version = claims.string("ver") == "2.0" ? 2 : 1
        guard claims.issuer == urls.issuer(tenantID: tenantID, tokenVersion: version) else { throw Refusal.issuer }
        guard let clientID = claims.string("appid") ?? claims.string("azp") else { throw Refusal.notAnAccessToken }
        guard let objectID = claims.string("oid").flatMap(ObjectID.canonical) else { throw Refusal.noObjectID }
        return VerifiedAccessToken(claims: claims, tenantID: tenantID, objectID: objectID, clientID: clientID,
                                   isApplication: claims.string("idtyp") == "app", version: version)
    }
}

/// An access token that passed ``AccessTokenVerifier``.
public struct VerifiedAccessToken: Sendable {
    public let claims: JWTClaims
    /// `tid`, canonical.
    public let tenantID: String
    /// `oid`, canonical: the user or service principal.
    public let objectID: String
    /// `appid` (v1) or `azp` (v2): the client the token was issued to.
    public let clientID: String
    /// An app-only token (`idtyp: app`).
    public let isApplication: Bool
    /// 1 or 2.
    public let version: Int

    /// `scp` split into names.
    public var scopes: [String] { (claims.string("scp") ?? "").split(separator: " ").map(String.init) }
    /// `roles`.
    public var roles: [String] { claims.strings("roles") ?? [] }
}
