import Cryptography
import Foundation

/// The sign-in pages' state, carried in a signed cookie instead of a server-side table, so any
/// issuer instance sharing the installation key can continue a flow another one started.
///
/// Holds no secret that grants anything by itself: a session id (rate-limit key), the CSRF token
/// the forms echo, and once signed in the user's object id, tenant, sign-in time and methods.
public struct BrowserSession: Sendable, Equatable, Codable {
    /// A user who finished signing in.
    public struct SignedInUser: Sendable, Equatable, Codable {
        public var tenantID: String
        public var objectID: String
        public var userPrincipalName: String
        public var authenticatedAt: Int
        public var methods: [String]

        enum CodingKeys: String, CodingKey {
            case tenantID = "t", objectID = "o", userPrincipalName = "u", authenticatedAt = "at", methods = "m"
        }

        public init(tenantID: String, objectID: String, userPrincipalName: String, authenticatedAt: Int, methods: [String]) {
            self.tenantID = tenantID
            self.objectID = objectID
            self.userPrincipalName = userPrincipalName
            self.authenticatedAt = authenticatedAt
            self.methods = methods
        }
    }

    /// Random session id: the key for user-code attempt counting.
    public var id: String
    public var csrfToken: String
    /// Unix time after which the cookie is ignored.
    public var expiresAt: Int
    public var user: SignedInUser?
    /// Password accepted, TOTP still owed (with the time the password was accepted).
    public var pendingSecondFactor: SignedInUser?
    /// The device flow being approved: its normalised user code.
    public var deviceUserCode: String?
    /// A one-shot message for the next page (a key, never user input).
    public var notice: String?
    /// The last device flow's result, for the done page: "approved" or "declined" and the app name.
    public var completion: String?

    enum CodingKeys: String, CodingKey {
        case id = "i", csrfToken = "c", expiresAt = "e", user = "u", pendingSecondFactor = "p", deviceUserCode = "d"
        case notice = "n", completion = "f"
    }

    /// A fresh anonymous session.
    public static func fresh(now: Date, lifetime: TimeInterval) -> BrowserSession {
        BrowserSession(id: Base64URL.encode(SecureRandom.bytes(16)), csrfToken: Base64URL.encode(SecureRandom.bytes(24)),
                       expiresAt: Int(now.timeIntervalSince1970 + lifetime))
    }

    public init(id: String, csrfToken: String, expiresAt: Int, user: SignedInUser? = nil,
                pendingSecondFactor: SignedInUser? = nil, deviceUserCode: String? = nil, notice: String? = nil,
                completion: String? = nil) {
        self.id = id
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
        self.user = user
        self.pendingSecondFactor = pendingSecondFactor
        self.deviceUserCode = deviceUserCode
        self.notice = notice
        self.completion = completion
    }

    /// The signed-in user for `tenantID`, if the sign-in is recent enough.
    public func user(in tenantID: String, now: Date, maximumAge: TimeInterval) -> SignedInUser? {
        guard let user, user.tenantID == tenantID,
              now.timeIntervalSince1970 - Double(user.authenticatedAt) <= maximumAge else { return nil }
        return user
    }

    /// True when `token` is this session's CSRF token (constant-time).
    public func acceptsCSRFToken(_ token: String?) -> Bool {
        guard let token else { return false }
        return constantTimeEquals(Array(token.utf8), Array(csrfToken.utf8))
    }
}

/// Seals and opens ``BrowserSession`` cookies: `base64url(JSON).base64url(HMAC-SHA-256)`, keyed
/// with a key derived from the installation key (``SecretHasher/derivedKey(purpose:)``).
public struct BrowserSessionCodec: Sendable {
    private let key: [UInt8]

    public init(key: [UInt8]) {
        precondition(key.count >= 32, "session key too short")
        self.key = key
    }

    public func seal(_ session: BrowserSession) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = Base64URL.encode([UInt8]((try? encoder.encode(session)) ?? Data()))
        return payload + "." + Base64URL.encode(Digest.hmacSHA256(key: key, message: Array(payload.utf8)))
    }

    /// The session, or nil when the value is forged, malformed or expired.
    public func open(_ value: String, now: Date) -> BrowserSession? {
        guard value.utf8.count <= 4096 else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let mac = Base64URL.decode(parts[1]),
              constantTimeEquals(mac, Digest.hmacSHA256(key: key, message: Array(parts[0].utf8))),
              let json = Base64URL.decode(parts[0]),
              let session = try? JSONDecoder().decode(BrowserSession.self, from: Data(json)),
              Double(session.expiresAt) > now.timeIntervalSince1970 else { return nil }
        return session
    }
}
