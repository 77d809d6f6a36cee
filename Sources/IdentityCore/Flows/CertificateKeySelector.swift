import Cryptography
import Foundation
import OAuthProtocol

/// Picks the registered certificate a client assertion names, and pins the algorithm by the
/// certificate's key type: RSA keys verify RS256 or PS256 (MSAL uses both for the same
/// certificate), P-256 keys ES256. Nothing else is ever accepted, whatever the header says.
enum CertificateKeySelector {
    static func key(for header: JOSEHeader, certificates: [CertificateCredential], now: Date) throws -> VerificationKey? {
        guard let credential = match(header, certificates: certificates) else { return nil }
        guard credential.notAfter > now, credential.notBefore <= now.addingTimeInterval(60) else {
            throw OAuthError.invalidClientAssertion("The certificate with thumbprint \(credential.sha1Thumbprint) is not currently valid.")
        }
        let certificate = try Certificate(pem: credential.certificatePEM)
        let publicKey = certificate.publicKey
        let algorithm: JWSAlgorithm
        switch (publicKey.kind, header.algorithm) {
        case (.rsa, "RS256"): algorithm = .rs256
        case (.rsa, "PS256"): algorithm = .ps256
        case (.p256, "ES256"): algorithm = .es256
        default:
            throw OAuthError.invalidClientAssertion("Algorithm '\(header.algorithm)' cannot be used with the registered certificate.")
        }
        return VerificationKey(keyID: credential.sha1Thumbprint, algorithm: algorithm, publicKey: publicKey)
    }

    /// By `x5t#S256`, then `x5t`, then the first `x5c` certificate's thumbprint.
    private static func match(_ header: JOSEHeader, certificates: [CertificateCredential]) -> CertificateCredential? {
        if let value = header.x5tS256, let bytes = Thumbprint.bytes(fromHeaderValue: value) {
            let hex = Thumbprint.hex(bytes)
            if let found = certificates.first(where: { $0.sha256Thumbprint == hex }) { return found }
        }
        if let value = header.x5t, let bytes = Thumbprint.bytes(fromHeaderValue: value) {
            let hex = Thumbprint.hex(bytes)
            if let found = certificates.first(where: { $0.sha1Thumbprint == hex }) { return found }
        }
        if let first = header.x5c?.first, let der = Base64.decode(first, ignoringWhitespace: true) {
            let hex = Thumbprint.hex(Digest.sha256(der))
            if let found = certificates.first(where: { $0.sha256Thumbprint == hex }) { return found }
        }
        return nil
    }
}
