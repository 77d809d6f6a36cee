import Cryptography
import Foundation
import OAuthProtocol

/// Issues and rotates refresh tokens with reuse detection (RFC 9700 §4.14.2).
///
/// - Opaque 256-bit values; the store keeps only their SHA-256.
/// - Each use rotates the token to a successor in the same family. The successor's value is
///   `base64url(HMAC-SHA-256(key, "refresh-successor" ‖ presented))`, so a second use of a spent
///   token within the grace window (5 s: concurrent kubectl runs) returns *the same* successor
///   without any token ever being stored in clear. After the window a second use is reuse: the
///   whole family is revoked.
/// - A user may hold any number of families per client (one per device).
/// - Unused for `inactivity` (90 days) → AADSTS700082.
public struct RefreshTokenService: Sendable {
    private let store: any RefreshTokenStore
    private let clock: any IdentityClock
    private let successorKey: [UInt8]
    public let inactivity: TimeInterval
    public let graceWindow: TimeInterval
    private let audit: AuditTrail?
    private let metrics: IssuerMetrics

    public init(store: any RefreshTokenStore, clock: any IdentityClock, successorKey: [UInt8],
                inactivity: TimeInterval = 90 * 24 * 3600, graceWindow: TimeInterval = 5, audit: AuditTrail? = nil,
                metrics: IssuerMetrics = .disabled) {
        self.metrics = metrics
        self.store = store
        self.clock = clock
        self.successorKey = successorKey
        self.inactivity = inactivity
        self.graceWindow = graceWindow
        self.audit = audit
    }

    static func hash(_ token: String) -> [UInt8] { Digest.sha256(Array(token.utf8)) }

    /// The record id for a token hash: derived, so racing redemptions agree on the successor's id.
    static func recordID(forHash hash: [UInt8]) -> String {
        Base64URL.encode(Digest.sha256(Array("refresh-token-id".utf8) + hash).prefix(16))
    }

    func successor(of token: String) -> String {
        Base64URL.encode(Digest.hmacSHA256(key: successorKey, message: Array("refresh-successor".utf8) + Array(token.utf8)))
    }

    /// Starts a family at sign-in and returns the token to hand out.
    public func startFamily(familyID: String = ObjectID.make(), tenantID: String, clientID: String, userObjectID: String,
                            scope: String, authenticatedAt: Date, methods: [String]) async throws -> String {
        let token = Base64URL.encode(SecureRandom.bytes(32))
        let hash = Self.hash(token)
        let now = clock.now()
        try await store.createRefreshToken(RefreshTokenRecord(
            id: Self.recordID(forHash: hash), tokenHash: hash, familyID: familyID, tenantID: tenantID,
            clientID: clientID, userObjectID: userObjectID, scope: scope, authenticatedAt: authenticatedAt,
            authenticationMethods: methods, createdAt: now, lastUsedAt: now, expiresAt: now.addingTimeInterval(inactivity)))
        return token
    }

    /// The record behind a presented token, checked: kubeid's, this client's, not revoked, not
    /// inactive. Reuse of a rotated token outside the grace window revokes the family here.
    /// Returns the record and, when the token is a recently rotated one, the successor to hand out.
    public func validate(_ token: String, clientID: String) async throws -> RefreshTokenRecord {
        guard token.utf8.count <= 512, let record = try await store.refreshToken(tokenHash: Self.hash(token)) else {
            throw OAuthError.refreshTokenInvalid
        }
        guard ObjectID.canonical(record.clientID) == ObjectID.canonical(clientID) || record.clientID == clientID else {
            throw OAuthError.grantClientMismatch
        }
        let now = clock.now()
        switch record.state {
        case .revoked:
            throw OAuthError.refreshTokenRevoked
        case .rotated:
            if let rotatedAt = record.rotatedAt, now.timeIntervalSince(rotatedAt) <= graceWindow { return record }
            try await store.revokeRefreshTokenFamily(familyID: record.familyID, now: now)
            metrics.refreshTokenReuseDetected()
            await audit?.record("refresh.reuse", tenantID: record.tenantID, outcome: "failure", subject: record.userObjectID,
                                clientID: record.clientID, details: ["family": record.familyID])
            throw OAuthError.refreshTokenRevoked
        case .active:
            if now >= record.expiresAt {
                throw OAuthError.refreshTokenInactive(issued: Self.day(record.createdAt),
                                                      inactiveDays: Int(now.timeIntervalSince(record.lastUsedAt) / 86400))
            }
            return record
        }
    }

    private struct NotActive: Error {}

    /// Rotates a validated token and returns its successor's value. Within the grace window of a
    /// previous rotation it returns that rotation's successor (following the chain to the live tip).
    public func rotate(_ token: String, record: RefreshTokenRecord) async throws -> String {
        let now = clock.now()
        if record.state == .active {
            let next = successor(of: token)
            let nextHash = Self.hash(next)
            do {
                try await store.updateRefreshToken(id: record.id) { stored in
                    guard stored.state == .active else { throw NotActive() }
                    stored.state = .rotated
                    stored.rotatedAt = now
                    stored.lastUsedAt = now
                    stored.successorID = Self.recordID(forHash: nextHash)
                }
            } catch is NotActive {
                // Another request rotated it a moment ago: fall through to the grace path.
                let current = try await validate(token, clientID: record.clientID)
                return try await rotate(token, record: current)
            }
            try await ensureSuccessor(next, of: record, now: now)
            return next
        }
        // Grace path: hand out the same successor; if it was itself rotated meanwhile, its successor.
        var tip = successor(of: token)
        for _ in 0..<8 {
            guard let found = try await store.refreshToken(tokenHash: Self.hash(tip)) else {
                try await ensureSuccessor(tip, of: record, now: now)
                return tip
            }
            switch found.state {
            case .active: return tip
            case .revoked: throw OAuthError.refreshTokenRevoked
            case .rotated: tip = successor(of: tip)
            }
        }
        throw OAuthError.refreshTokenRevoked
    }

    /// Creates the successor record unless a racing request already did.
    private func ensureSuccessor(_ token: String, of record: RefreshTokenRecord, now: Date) async throws {
        let hash = Self.hash(token)
        do {
            try await store.createRefreshToken(RefreshTokenRecord(
                id: Self.recordID(forHash: hash), tokenHash: hash, familyID: record.familyID, tenantID: record.tenantID,
                clientID: record.clientID, userObjectID: record.userObjectID, scope: record.scope,
                authenticatedAt: record.authenticatedAt, authenticationMethods: record.authenticationMethods,
                createdAt: now, lastUsedAt: now, expiresAt: now.addingTimeInterval(inactivity)))
        } catch let error as StoreError where error.code == .alreadyExists {
            return
        }
        // The family may have been revoked while we rotated: never leave a live token in it.
        if let presented = try await store.refreshToken(id: record.id), presented.state == .revoked {
            try await store.revokeRefreshTokenFamily(familyID: record.familyID, now: now)
            throw OAuthError.refreshTokenRevoked
        }
    }

    public func revokeFamily(_ familyID: String) async throws {
        try await store.revokeRefreshTokenFamily(familyID: familyID, now: clock.now())
    }

    static func day(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }
}
