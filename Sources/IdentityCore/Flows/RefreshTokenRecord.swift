import Foundation

/// A refresh token as the store keeps it (only its hash).
///
/// Tokens form families: each sign-in starts one, each refresh rotates the presented token to a
/// successor in the same family. Presenting a rotated token after the grace window is reuse:
/// the whole family is revoked. A user may hold several families per client (one per device).
public struct RefreshTokenRecord: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable {
        case active
        /// Replaced by `successorID`; accepted again only within the grace window.
        case rotated
        case revoked
    }

    /// Random id (not the token); the primary key.
    public var id: String
    /// SHA-256 of the token value; unique.
    public var tokenHash: [UInt8]
    public var familyID: String
    public var tenantID: String
    public var clientID: String
    public var userObjectID: String
    /// Scopes granted at sign-in; refresh may narrow but never widen them.
    public var scope: String
    public var authenticatedAt: Date
    public var authenticationMethods: [String]
    public var createdAt: Date
    public var lastUsedAt: Date
    /// Inactivity deadline (90 days after the last use by default); the token fails after it.
    public var expiresAt: Date
    public var state: State
    public var rotatedAt: Date?
    public var successorID: String?

    public init(id: String, tokenHash: [UInt8], familyID: String, tenantID: String, clientID: String,
                userObjectID: String, scope: String, authenticatedAt: Date, authenticationMethods: [String],
                createdAt: Date, lastUsedAt: Date, expiresAt: Date, state: State = .active,
                rotatedAt: Date? = nil, successorID: String? = nil) {
        self.id = id
        self.tokenHash = tokenHash
        self.familyID = familyID
        self.tenantID = tenantID
        self.clientID = clientID
        self.userObjectID = userObjectID
        self.scope = scope
        self.authenticatedAt = authenticatedAt
        self.authenticationMethods = authenticationMethods
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.state = state
        self.rotatedAt = rotatedAt
        self.successorID = successorID
    }
}
