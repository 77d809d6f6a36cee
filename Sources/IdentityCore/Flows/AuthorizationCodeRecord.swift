import Foundation

/// An authorization code issued by `/authorize`, as the store keeps it (only its hash).
public struct AuthorizationCodeRecord: Sendable, Hashable, Codable {
    /// SHA-256 of the code; the primary key.
    public var codeHash: [UInt8]
    public var tenantID: String
    public var clientID: String
    /// The redirect URI exactly as sent to `/authorize`; redemption must repeat it.
    public var redirectURI: String
    public var scope: String
    public var resource: String
    public var endpointVersion: String
    /// PKCE (RFC 7636): the challenge and its method (`S256` or `plain`), nil if none was sent.
    public var codeChallenge: String?
    public var codeChallengeMethod: String?
    /// Echoed in the ID token.
    public var nonce: String?
    public var userObjectID: String
    public var authenticatedAt: Date
    public var authenticationMethods: [String]
    public var createdAt: Date
    public var expiresAt: Date
    /// Set by the first redemption; a second redemption finds it set and revokes what the
    /// first one issued (`issuedRefreshTokenFamilyID`).
    public var redeemedAt: Date?
    public var issuedRefreshTokenFamilyID: String?
    public var clientAddress: String

    public init(codeHash: [UInt8], tenantID: String, clientID: String, redirectURI: String, scope: String,
                resource: String, endpointVersion: String, codeChallenge: String?, codeChallengeMethod: String?,
                nonce: String?, userObjectID: String, authenticatedAt: Date, authenticationMethods: [String],
                createdAt: Date, expiresAt: Date, redeemedAt: Date? = nil, issuedRefreshTokenFamilyID: String? = nil,
                clientAddress: String) {
        self.codeHash = codeHash
        self.tenantID = tenantID
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scope = scope
        self.resource = resource
        self.endpointVersion = endpointVersion
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
        self.nonce = nonce
        self.userObjectID = userObjectID
        self.authenticatedAt = authenticatedAt
        self.authenticationMethods = authenticationMethods
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.redeemedAt = redeemedAt
        self.issuedRefreshTokenFamilyID = issuedRefreshTokenFamilyID
        self.clientAddress = clientAddress
    }
}
