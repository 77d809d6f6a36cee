import Cryptography
import Foundation

/// Who a request to the API-server stand-in is, once authenticated.
public struct KubeAPIServerIdentity: Sendable, Equatable {
    public var username: String
    public var groups: [String]

    public init(username: String, groups: [String] = []) {
        self.username = username
        self.groups = groups
    }
}

/// How the stand-in authenticates a request. The JWT authenticator below is what
/// kube-apiserver's structured authentication does with kubeid tokens; later additions
/// (a TokenReview webhook, client certificates) are further conformances.
public protocol KubeAPIServerAuthenticator: Sendable {
    /// The identity, or nil when the credential is missing or not accepted.
    func authenticate(bearerToken: String?) async -> KubeAPIServerIdentity?
}

/// Accepts a bearer JWT only if it verifies against the issuer's JWKS, with the expected
/// issuer (`https://host:port/<tid>/` for v1 tokens) and audience, and is within its lifetime.
public struct KubeAPIServerJWTAuthenticator: KubeAPIServerAuthenticator {
    public let keys: [String: VerificationKey]
    public let issuer: String
    public let audience: String

    public init(keys: [String: VerificationKey], issuer: String, audience: String) {
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
    }

    public func authenticate(bearerToken: String?) async -> KubeAPIServerIdentity? {
        guard let bearerToken, !bearerToken.isEmpty else { return nil }
        do {
            let verified = try JWTVerifier(engine: .openSSL).verify(bearerToken) { header in header.keyID.flatMap { keys[$0] } }
            try verified.claims.validate(now: Date(), issuer: issuer, audience: audience)
            let username = verified.claims.string("upn") ?? verified.claims.string("oid") ?? verified.claims.subject ?? ""
            return KubeAPIServerIdentity(username: username, groups: verified.claims.strings("groups") ?? [])
        } catch {
            return nil
        }
    }
}
