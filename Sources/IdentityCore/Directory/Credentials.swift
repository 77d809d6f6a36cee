import Foundation

/// A client secret, stored only as a keyed hash (see ``SecretHasher``).
public struct ClientSecretCredential: Sendable, Hashable, Codable {
    public var id: String
    public var tenantID: String
    public var appID: String
    /// HMAC-SHA-256 of the secret under the installation's hashing key.
    public var secretHash: [UInt8]
    /// The first three characters, shown in listings as Entra does (`hint`).
    public var hint: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(id: String, tenantID: String, appID: String, secretHash: [UInt8], hint: String,
                createdAt: Date, expiresAt: Date) {
        self.id = id
        self.tenantID = tenantID
        self.appID = appID
        self.secretHash = secretHash
        self.hint = hint
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A public certificate registered for `private_key_jwt` client authentication.
public struct CertificateCredential: Sendable, Hashable, Codable {
    public var id: String
    public var tenantID: String
    public var appID: String
    /// Upper-case hex SHA-1 over the DER (what `az` prints as the thumbprint; `x5t`).
    public var sha1Thumbprint: String
    /// Upper-case hex SHA-256 over the DER (`x5t#S256`).
    public var sha256Thumbprint: String
    public var certificatePEM: String
    public var notBefore: Date
    public var notAfter: Date
    public var createdAt: Date

    public init(id: String, tenantID: String, appID: String, sha1Thumbprint: String, sha256Thumbprint: String,
                certificatePEM: String, notBefore: Date, notAfter: Date, createdAt: Date) {
        self.id = id
        self.tenantID = tenantID
        self.appID = appID
        self.sha1Thumbprint = sha1Thumbprint
        self.sha256Thumbprint = sha256Thumbprint
        self.certificatePEM = certificatePEM
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.createdAt = createdAt
    }
}

/// Trust in an external issuer's tokens (workload identity): an assertion whose `iss`, `sub`
/// and `aud` match exactly (case-sensitive) authenticates the application.
public struct FederatedIdentityCredential: Sendable, Hashable, Codable {
    public var id: String
    public var tenantID: String
    public var appID: String
    public var name: String
    public var issuer: String
    public var subject: String
    public var audiences: [String]
    public var createdAt: Date

    public init(id: String, tenantID: String, appID: String, name: String, issuer: String, subject: String,
                audiences: [String], createdAt: Date) {
        self.id = id
        self.tenantID = tenantID
        self.appID = appID
        self.name = name
        self.issuer = issuer
        self.subject = subject
        self.audiences = audiences
        self.createdAt = createdAt
    }
}
