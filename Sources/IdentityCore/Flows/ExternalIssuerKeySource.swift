import Cryptography

/// Fetches the signing keys of an external issuer (a Kubernetes cluster's service-account
/// issuer, a CI system) whose tokens a federated credential trusts. Implemented over HTTPS by
/// the HTTP adapter; the domain only asks.
public protocol ExternalIssuerKeySource: Sendable {
    /// The issuer's key with this `kid` (or its only key when `keyID` is nil), with the algorithm
    /// pinned from the key itself; nil when the issuer publishes no such key.
    /// Throws when the issuer cannot be reached or its documents are malformed.
    func verificationKey(issuer: String, keyID: String?) async throws -> VerificationKey?
}
