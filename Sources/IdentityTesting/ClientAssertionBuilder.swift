import Cryptography
import Foundation

/// Builds `private_key_jwt` client assertions the way the Microsoft clients do
/// (docs/compatibility.md, Client authentication), including their quirks, so tests can send each
/// variant.
public struct ClientAssertionBuilder: Sendable {
    public enum Thumbprint: Sendable { case sha1, sha256, none }

    public var key: PrivateKey
    public var certificate: Certificate
    public var algorithm: JWSAlgorithm = .rs256
    public var thumbprint: Thumbprint = .sha1
    /// MSAL Python pads `x5t` with `=`.
    public var padThumbprint = true
    public var includeX5C = false

    public init(key: PrivateKey, certificate: Certificate) {
        self.key = key
        self.certificate = certificate
    }

    /// Reads the PEM file `create-for-rbac --create-cert` writes (key + certificate).
    public init(pemFile: String) throws {
        let text = try String(contentsOfFile: pemFile, encoding: .utf8)
        self.key = try PrivateKey(pem: text)
        guard let certificate = try Certificate.parseAll(pem: text).first else { throw CryptoError.invalidCertificate }
        self.certificate = certificate
    }

    /// - Parameters:
    ///   - claims: override or add claims (a value of `NSNull` removes one).
    public func make(clientID: String, audience: String, now: Date, lifetime: TimeInterval = 600,
                     jwtID: String = UUID().uuidString, overrides: [String: any Sendable] = [:]) throws -> String {
        var header: [String: String] = [:]
        switch thumbprint {
        case .sha1: header["x5t"] = encode(certificate.sha1Thumbprint)
        case .sha256: header["x5t#S256"] = encode(certificate.sha256Thumbprint)
        case .none: break
        }
        var claims: [String: Any] = [
            "aud": audience, "iss": clientID, "sub": clientID, "jti": jwtID,
            // MSAL Python sends float times.
            "exp": now.timeIntervalSince1970 + lifetime + 0.654, "iat": now.timeIntervalSince1970 + 0.654,
        ]
        for (name, value) in overrides {
            if value is NSNull { claims[name] = nil } else { claims[name] = value }
        }
        let payload = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        var headerMembers: [String: Any] = ["alg": algorithm.rawValue, "typ": "JWT"]
        for (name, value) in header { headerMembers[name] = value }
        if includeX5C { headerMembers["x5c"] = [Base64.encode(certificate.der)] }
        let headerJSON = try JSONSerialization.data(withJSONObject: headerMembers, options: [.sortedKeys])
        let signingInput = Base64URL.encode(Array(headerJSON)) + "." + Base64URL.encode(Array(payload))
        let signature = try key.sign(Array(signingInput.utf8), algorithm: algorithm)
        return signingInput + "." + Base64URL.encode(signature)
    }

    private func encode(_ bytes: [UInt8]) -> String {
        let text = Base64URL.encode(bytes)
        guard padThumbprint else { return text }
        return text + String(repeating: "=", count: (4 - text.count % 4) % 4)
    }
}
