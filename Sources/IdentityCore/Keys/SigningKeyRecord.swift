import Foundation

/// A token-signing key as the store keeps it.
///
/// Life cycle: *published* (in the JWKS from `createdAt`) → *active* (signs from `activatedAt`
/// until `retiredAt`) → *retired* (still published until `removeAfter`, so every token it
/// signed keeps verifying) → gone. At most one key is active at a time.
public struct SigningKeyRecord: Sendable, Hashable, Codable {
    /// `kid`: base64url SHA-1 thumbprint of `certificatePEM`, Entra-style, so it equals `x5t`.
    public var keyID: String
    /// The one algorithm this key signs and verifies with (pinned; never taken from a token).
    public var algorithm: String
    /// PKCS#8 PEM of the private key. Only the store and the key ring ever see it.
    public var privateKeyPEM: String
    /// Self-signed certificate over the public key, published as `x5c` like Entra's JWKS.
    public var certificatePEM: String
    public var createdAt: Date
    public var activatedAt: Date?
    public var retiredAt: Date?
    /// After this instant the key leaves the JWKS and may be deleted.
    public var removeAfter: Date?

    public init(keyID: String, algorithm: String, privateKeyPEM: String, certificatePEM: String,
                createdAt: Date, activatedAt: Date?, retiredAt: Date? = nil, removeAfter: Date? = nil) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.privateKeyPEM = privateKeyPEM
        self.certificatePEM = certificatePEM
        self.createdAt = createdAt
        self.activatedAt = activatedAt
        self.retiredAt = retiredAt
        self.removeAfter = removeAfter
    }

    /// True when this key signs new tokens at `now`.
    public func isActive(at now: Date) -> Bool {
        guard let activatedAt, activatedAt <= now else { return false }
        return retiredAt.map { now < $0 } ?? true
    }

    /// True when this key belongs in the JWKS at `now`.
    public func isPublished(at now: Date) -> Bool {
        removeAfter.map { now < $0 } ?? true
    }
}
