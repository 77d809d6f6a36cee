import Cryptography
import Foundation

/// A stored key parsed once: its signer (the hot path never re-parses PEM), its public JWK and
/// its verification key.
public struct LoadedSigningKey: Sendable {
    public let record: SigningKeyRecord
    public let algorithm: JWSAlgorithm
    public let privateKey: PrivateKey
    public let certificate: Certificate
    /// base64url SHA-1 of the certificate: `x5t` in the JWKS and in v1 token headers.
    public let x5t: String
    /// Signs with `typ`, `alg`, `kid` in the header (v2 tokens, ID tokens).
    public let signer: JWTSigner
    /// Signs with `x5t` added to the header, as Entra's v1 tokens carry it.
    public let signerWithX5T: JWTSigner

    /// - Parameter encryption: opens a sealed private key; a PEM is read as is.
    public init(record: SigningKeyRecord, encryption: KeyEncryption? = nil) throws {
        guard let algorithm = JWSAlgorithm(rawValue: record.algorithm) else {
            throw StoreError.invalidData("signing key \(record.keyID) has unknown algorithm \(record.algorithm)")
        }
        self.record = record
        self.algorithm = algorithm
        self.privateKey = try PrivateKey(pem: try encryption.open(record.privateKeyPEM,
                                                                  context: KeyEncryption.signingKeyContext(record.keyID)))
        self.certificate = try Certificate(pem: record.certificatePEM)
        self.x5t = Base64URL.encode(certificate.sha1Thumbprint)
        self.signer = try JWTSigner(key: privateKey, algorithm: algorithm, keyID: record.keyID)
        self.signerWithX5T = try JWTSigner(key: privateKey, algorithm: algorithm, keyID: record.keyID,
                                           additionalHeaders: ["x5t": x5t])
    }

    private init(record: SigningKeyRecord, reusing other: LoadedSigningKey) {
        self.record = record
        self.algorithm = other.algorithm
        self.privateKey = other.privateKey
        self.certificate = other.certificate
        self.x5t = other.x5t
        self.signer = other.signer
        self.signerWithX5T = other.signerWithX5T
    }

    /// This key with a newer stored record of it (its state changed, or its private key was
    /// re-sealed under another key-encryption key: the key itself is the same, so nothing is
    /// opened or parsed again and an instance that does not know the new key-encryption key
    /// yet keeps signing).
    func updated(to record: SigningKeyRecord) -> LoadedSigningKey {
        LoadedSigningKey(record: record, reusing: self)
    }

    /// The public JWK as the JWKS publishes it: `kty`, `use`, `kid`, `x5t`, key members, `x5c`,
    /// `issuer` — never a private member.
    public func publicJWK(issuer: String?) -> JWK {
        var jwk = privateKey.publicKey.jwk(keyID: record.keyID)
        jwk.use = "sig"
        jwk.x5t = x5t
        jwk.x5c = [Base64.encode(certificate.der)]
        jwk.issuer = issuer
        return jwk
    }

    public var verificationKey: VerificationKey {
        VerificationKey(keyID: record.keyID, algorithm: algorithm, publicKey: privateKey.publicKey)
    }
}
