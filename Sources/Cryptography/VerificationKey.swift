/// One of *our* keys that a token may select, with the one algorithm it is pinned to.
///
/// The algorithm lives on the key, never in the token (RFC 8725 §3.1): a token whose `alg` differs
/// is rejected before any signature math runs.
public struct VerificationKey: Sendable {
    public var keyID: String
    public var algorithm: JWSAlgorithm
    public var publicKey: PublicKey

    public init(keyID: String, algorithm: JWSAlgorithm, publicKey: PublicKey) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.publicKey = publicKey
    }
}
