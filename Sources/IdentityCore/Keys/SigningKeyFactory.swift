import Cryptography
import Foundation

/// Creates new signing keys: generated from the OS CSPRNG, with a self-signed certificate so
/// the JWKS can carry `x5c`/`x5t` like Entra's.
public enum SigningKeyFactory {
    /// How long the published certificate claims to be valid. Verifiers don't check it (Entra's
    /// JWKS certificates are self-signed too); it only needs to outlive the key.
    static let certificateValidity: TimeInterval = 5 * 365 * 24 * 3600

    /// - Parameter algorithm: RS256 (RSA-2048, the default as in Entra) or ES256 (P-256).
    /// - Parameter encryption: seals the private key for storage (``KeyEncryption``); nil stores
    ///   the PEM (tests, stores without a key-encryption key).
    public static func make(algorithm: JWSAlgorithm, now: Date, encryption: KeyEncryption? = nil) throws -> SigningKeyRecord {
        let key: PrivateKey
        switch algorithm {
        case .rs256, .ps256: key = try PrivateKey.generateRSA(bits: 2048)
        case .es256: key = try PrivateKey.generateP256()
        }
        let certificate = try Certificate.selfSigned(commonName: "kubeid token signing key",
                                                     key: key, validFor: certificateValidity)
        // Entra-style key id: the base64url SHA-1 thumbprint of the key's certificate, so `kid`
        // equals `x5t` in the JWKS and in v1 token headers, as in Entra's tokens
        // (docs/compatibility.md, Token claims).
        let keyID = Base64URL.encode(certificate.sha1Thumbprint)
        return SigningKeyRecord(keyID: keyID, algorithm: algorithm.rawValue, privateKeyPEM: try encryption.seal(key.pemPKCS8, context: KeyEncryption.signingKeyContext(keyID)),
                                certificatePEM: certificate.pem, createdAt: now, activatedAt: now)
    }
}
