import Foundation

/// A device-code sign-in in progress (RFC 8628), as the store keeps it. The device code itself
/// is never stored, only its SHA-256, so a database copy cannot redeem anything.
public struct DeviceAuthorization: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable {
        /// Waiting for the user at `/devicelogin`.
        case pending
        /// The user signed in and confirmed; the next poll redeems it.
        case approved
        /// The user clicked Cancel (or policy refused).
        case denied
        /// Tokens were issued; the code is spent.
        case redeemed
    }

    /// SHA-256 of the device code; the primary key.
    public var deviceCodeHash: [UInt8]
    /// Normalised user code (upper case, no separators); unique among live authorizations.
    public var userCode: String
    public var tenantID: String
    public var clientID: String
    /// The scopes as requested (`scope`), or empty for v1.
    public var scope: String
    /// The resource the token is for (from `scope` or v1 `resource`).
    public var resource: String
    /// "v1" or "v2": the endpoint that started the flow (error spellings differ).
    public var endpointVersion: String
    public var createdAt: Date
    public var expiresAt: Date
    /// The current polling interval in seconds; `slow_down` raises it by 5 and it stays raised.
    public var interval: Int
    public var lastPolledAt: Date?
    public var state: State
    /// The user who approved (or declined).
    public var userObjectID: String?
    public var authenticatedAt: Date?
    /// `amr` of the sign-in that approved it, e.g. ["pwd"] or ["pwd","mfa"].
    public var authenticationMethods: [String]
    /// Where the flow was started from (shown on the confirmation page).
    public var requestAddress: String
    /// Correlation id of the `/devicecode` request, echoed in poll errors like Entra does.
    public var correlationID: String?

    public init(deviceCodeHash: [UInt8], userCode: String, tenantID: String, clientID: String, scope: String,
                resource: String, endpointVersion: String, createdAt: Date, expiresAt: Date, interval: Int,
                lastPolledAt: Date? = nil, state: State = .pending, userObjectID: String? = nil,
                authenticatedAt: Date? = nil, authenticationMethods: [String] = [], requestAddress: String,
                correlationID: String? = nil) {
        self.deviceCodeHash = deviceCodeHash
        self.userCode = userCode
        self.tenantID = tenantID
        self.clientID = clientID
        self.scope = scope
        self.resource = resource
        self.endpointVersion = endpointVersion
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.interval = interval
        self.lastPolledAt = lastPolledAt
        self.state = state
        self.userObjectID = userObjectID
        self.authenticatedAt = authenticatedAt
        self.authenticationMethods = authenticationMethods
        self.requestAddress = requestAddress
        self.correlationID = correlationID
    }
}
