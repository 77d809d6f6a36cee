import Foundation

/// A person in the directory: signs in with a password (and TOTP when enrolled) through the
/// device-code, authorization-code or password flows.
public struct User: Sendable, Hashable, Codable {
    public var tenantID: String
    /// `oid` in tokens; a group member id.
    public var objectID: String
    /// `upn`, `unique_name`, `preferred_username`; unique in the tenant ignoring case.
    public var userPrincipalName: String
    public var displayName: String
    public var givenName: String?
    public var familyName: String?
    /// A disabled user can neither sign in nor refresh.
    public var accountEnabled: Bool
    /// The password hash in PHC-like text form (e.g. `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`),
    /// nil when no password is set.
    public var passwordHash: String?
    /// The TOTP second factor, when enrolled.
    public var totp: TOTPEnrollment?
    public var createdAt: Date
    public var passwordChangedAt: Date?
    /// Graph's `signInSessionsValidFromDateTime`: a sign-in before this instant no longer
    /// counts (browser sessions, refresh tokens, approved device codes). Moved forward by a
    /// password change, a disable, an MFA change and an explicit revocation.
    public var signInSessionsValidFrom: Date?

    public init(tenantID: String, objectID: String, userPrincipalName: String, displayName: String,
                givenName: String? = nil, familyName: String? = nil, accountEnabled: Bool = true,
                passwordHash: String? = nil, totp: TOTPEnrollment? = nil, createdAt: Date, passwordChangedAt: Date? = nil,
                signInSessionsValidFrom: Date? = nil) {
        self.tenantID = tenantID
        self.objectID = objectID
        self.userPrincipalName = userPrincipalName
        self.displayName = displayName
        self.givenName = givenName
        self.familyName = familyName
        self.accountEnabled = accountEnabled
        self.passwordHash = passwordHash
        self.totp = totp
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt
        self.signInSessionsValidFrom = signInSessionsValidFrom
    }
}

/// An RFC 6238 TOTP enrolment.
public struct TOTPEnrollment: Sendable, Hashable, Codable {
    /// The shared secret (20 random bytes, shown once as base32 in the `otpauth://` URI).
    public var secret: [UInt8]
    public var enrolledAt: Date
    /// The last time step a code was accepted for; a code is never accepted twice.
    public var lastAcceptedStep: Int64?

    public init(secret: [UInt8], enrolledAt: Date, lastAcceptedStep: Int64? = nil) {
        self.secret = secret
        self.enrolledAt = enrolledAt
        self.lastAcceptedStep = lastAcceptedStep
    }
}
