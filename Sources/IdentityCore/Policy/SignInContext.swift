import Foundation

/// One sign-in attempt as the access decision and the sign-in log see it. Built up as the
/// attempt proceeds: an attempt refused before anyone was identified (a wrong secret, an unknown
/// user) has no ``subject``, and is recorded all the same.
public struct SignInContext: Sendable {
    public var tenant: Tenant
    public var flow: SignInFlow
    /// A person took part (the sign-in pages, or the redemption of what they approved).
    public var isInteractive: Bool
    /// The id a client sees as `correlation_id` in errors and finds in the sign-in log.
    public var correlationID: String
    public var clientAddress: String?
    public var userAgent: String?
    /// Who is signing in, once known.
    public var subject: SignInSubject?
    /// The client application (for a service principal's own sign-in, its application).
    public var client: Application?
    /// The client id as the request named it, kept for attempts whose client is unknown.
    public var requestedClientID: String?
    /// The resource application the token is for, once resolved.
    public var resource: Application?
    /// Authentication methods satisfied so far (`amr`: `pwd`, `mfa`, ...).
    public var authenticationMethods: [String]
    /// When the user last proved a credential (`auth_time`); for a refresh, the original sign-in.
    public var authenticatedAt: Date?
    /// The device, as far as kubeid knows it.
    public var device: SignInDevice?
    /// Set when the account's password sign-ins are locked out (too many wrong passwords) at
    /// the moment a password was presented.
    public var lockedUntil: Date?
    /// The `uti` of the token issued, on success.
    public var tokenID: String?

    public init(tenant: Tenant, flow: SignInFlow, isInteractive: Bool, correlationID: String,
                clientAddress: String? = nil, userAgent: String? = nil, subject: SignInSubject? = nil,
                client: Application? = nil, requestedClientID: String? = nil, resource: Application? = nil,
                authenticationMethods: [String] = [], authenticatedAt: Date? = nil, device: SignInDevice? = nil) {
        self.tenant = tenant
        self.flow = flow
        self.isInteractive = isInteractive
        self.correlationID = correlationID
        self.clientAddress = clientAddress
        self.userAgent = userAgent
        self.subject = subject
        self.client = client
        self.requestedClientID = requestedClientID
        self.resource = resource
        self.authenticationMethods = authenticationMethods
        self.authenticatedAt = authenticatedAt
        self.device = device
    }

    /// The user signing in, when the subject is one.
    public var user: User? { subject?.user }
}
