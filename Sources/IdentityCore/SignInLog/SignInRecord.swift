import Foundation

/// One sign-in attempt, success or failure, in the shape of Microsoft Graph's `signIn`
/// resource (`GET /auditLogs/signIns`), so the CLI's JSON, the Graph API and tools written for
/// Entra's sign-in logs read the same thing.
///
/// Fields kubeid has nothing for are written as Graph writes "nothing": the risk fields as
/// `none`, `location` null. Encoding writes every field, nulls included, as Graph does.
public struct SignInRecord: Sendable, Hashable, Codable {
    /// `status`: error code 0 and nulls on success.
    public struct Status: Sendable, Hashable, Codable {
        public var errorCode: Int
        public var failureReason: String?
        public var additionalDetails: String?

        public init(errorCode: Int, failureReason: String? = nil, additionalDetails: String? = nil) {
            self.errorCode = errorCode
            self.failureReason = failureReason
            self.additionalDetails = additionalDetails
        }

        public static let success = Status(errorCode: 0)

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(errorCode, forKey: .errorCode)
            try container.encode(failureReason, forKey: .failureReason)
            try container.encode(additionalDetails, forKey: .additionalDetails)
        }
    }

    /// `deviceDetail`: the browser and operating system from the user agent; the device fields
    /// stay empty until the sign-in proves a registered device.
    public struct DeviceDetail: Sendable, Hashable, Codable {
        public var deviceId: String
        public var displayName: String?
        public var operatingSystem: String?
        public var browser: String?
        public var isCompliant: Bool?
        public var isManaged: Bool?
        public var trustType: String?

        public init(deviceId: String = "", displayName: String? = nil, operatingSystem: String? = nil,
                    browser: String? = nil, isCompliant: Bool? = nil, isManaged: Bool? = nil, trustType: String? = nil) {
            self.deviceId = deviceId
            self.displayName = displayName
            self.operatingSystem = operatingSystem
            self.browser = browser
            self.isCompliant = isCompliant
            self.isManaged = isManaged
            self.trustType = trustType
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(deviceId, forKey: .deviceId)
            try container.encode(displayName, forKey: .displayName)
            try container.encode(operatingSystem, forKey: .operatingSystem)
            try container.encode(browser, forKey: .browser)
            try container.encode(isCompliant, forKey: .isCompliant)
            try container.encode(isManaged, forKey: .isManaged)
            try container.encode(trustType, forKey: .trustType)
        }
    }

    /// One Conditional Access policy's part in the sign-in (`appliedConditionalAccessPolicy`).
    public struct AppliedPolicy: Sendable, Hashable, Codable {
        public var id: String
        public var displayName: String
        /// Entra's strings: `Mfa`, `Block`, `RequireCompliantDevice`, `RequireDomainJoinedDevice`.
        public var enforcedGrantControls: [String]
        public var enforcedSessionControls: [String]
        /// `success`, `failure`, `notApplied`, `notEnabled`, `reportOnlySuccess`, `reportOnlyFailure`...
        public var result: String

        public init(id: String, displayName: String, enforcedGrantControls: [String],
                    enforcedSessionControls: [String] = [], result: String) {
            self.id = id
            self.displayName = displayName
            self.enforcedGrantControls = enforcedGrantControls
            self.enforcedSessionControls = enforcedSessionControls
            self.result = result
        }
    }

    public var id: String
    public var createdDateTime: Date
    public var userDisplayName: String?
    /// Always lower case, as Graph keeps it.
    public var userPrincipalName: String?
    public var userId: String?
    public var appId: String?
    public var appDisplayName: String?
    public var ipAddress: String?
    /// `Browser`, `Mobile Apps and Desktop clients`; null for service principals.
    public var clientAppUsed: String?
    /// The `correlation_id` the client saw in an error body (or sent as `client-request-id`).
    public var correlationId: String
    public var isInteractive: Bool
    public var resourceDisplayName: String?
    public var resourceId: String?
    /// The tenant signed in to (kubeid has no guests: also the home tenant).
    public var resourceTenantId: String
    /// For a service principal's own sign-in.
    public var servicePrincipalId: String?
    public var servicePrincipalName: String?
    public var status: Status
    public var deviceDetail: DeviceDetail
    /// `success`, `failure` or `notApplied`.
    public var conditionalAccessStatus: String
    public var appliedConditionalAccessPolicies: [AppliedPolicy]
    public var userAgent: String?
    /// The `uti` of the token issued, on success (Graph's beta `uniqueTokenIdentifier`).
    public var uniqueTokenIdentifier: String?

    public init(id: String, createdDateTime: Date, userDisplayName: String? = nil, userPrincipalName: String? = nil,
                userId: String? = nil, appId: String? = nil, appDisplayName: String? = nil, ipAddress: String? = nil,
                clientAppUsed: String? = nil, correlationId: String, isInteractive: Bool,
                resourceDisplayName: String? = nil, resourceId: String? = nil, resourceTenantId: String,
                servicePrincipalId: String? = nil, servicePrincipalName: String? = nil, status: Status,
                deviceDetail: DeviceDetail = DeviceDetail(), conditionalAccessStatus: String = "notApplied",
                appliedConditionalAccessPolicies: [AppliedPolicy] = [], userAgent: String? = nil,
                uniqueTokenIdentifier: String? = nil) {
        self.id = id
        self.createdDateTime = createdDateTime
        self.userDisplayName = userDisplayName
        self.userPrincipalName = userPrincipalName?.lowercased()
        self.userId = userId
        self.appId = appId
        self.appDisplayName = appDisplayName
        self.ipAddress = ipAddress
        self.clientAppUsed = clientAppUsed
        self.correlationId = correlationId
        self.isInteractive = isInteractive
        self.resourceDisplayName = resourceDisplayName
        self.resourceId = resourceId
        self.resourceTenantId = resourceTenantId
        self.servicePrincipalId = servicePrincipalId
        self.servicePrincipalName = servicePrincipalName
        self.status = status
        self.deviceDetail = deviceDetail
        self.conditionalAccessStatus = conditionalAccessStatus
        self.appliedConditionalAccessPolicies = appliedConditionalAccessPolicies
        self.userAgent = userAgent
        self.uniqueTokenIdentifier = uniqueTokenIdentifier
    }

    /// True when the sign-in succeeded (`status.errorCode` 0).
    public var succeeded: Bool { status.errorCode == 0 }

    enum CodingKeys: String, CodingKey {
        case id, createdDateTime, userDisplayName, userPrincipalName, userId, appId, appDisplayName, ipAddress
        case clientAppUsed, correlationId, isInteractive, resourceDisplayName, resourceId, resourceTenantId
        case homeTenantId, servicePrincipalId, servicePrincipalName, status, deviceDetail, conditionalAccessStatus
        case appliedConditionalAccessPolicies, userAgent, uniqueTokenIdentifier, location
        case riskDetail, riskLevelAggregated, riskLevelDuringSignIn, riskState, riskEventTypes, riskEventTypesV2 = "riskEventTypes_v2"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id),
            createdDateTime: try container.decode(Date.self, forKey: .createdDateTime),
            userDisplayName: try container.decodeIfPresent(String.self, forKey: .userDisplayName),
            userPrincipalName: try container.decodeIfPresent(String.self, forKey: .userPrincipalName),
            userId: try container.decodeIfPresent(String.self, forKey: .userId),
            appId: try container.decodeIfPresent(String.self, forKey: .appId),
            appDisplayName: try container.decodeIfPresent(String.self, forKey: .appDisplayName),
            ipAddress: try container.decodeIfPresent(String.self, forKey: .ipAddress),
            clientAppUsed: try container.decodeIfPresent(String.self, forKey: .clientAppUsed),
            correlationId: try container.decode(String.self, forKey: .correlationId),
            isInteractive: try container.decode(Bool.self, forKey: .isInteractive),
            resourceDisplayName: try container.decodeIfPresent(String.self, forKey: .resourceDisplayName),
            resourceId: try container.decodeIfPresent(String.self, forKey: .resourceId),
            resourceTenantId: try container.decode(String.self, forKey: .resourceTenantId),
            servicePrincipalId: try container.decodeIfPresent(String.self, forKey: .servicePrincipalId),
            servicePrincipalName: try container.decodeIfPresent(String.self, forKey: .servicePrincipalName),
            status: try container.decode(Status.self, forKey: .status),
            deviceDetail: try container.decode(DeviceDetail.self, forKey: .deviceDetail),
            conditionalAccessStatus: try container.decode(String.self, forKey: .conditionalAccessStatus),
            appliedConditionalAccessPolicies: try container.decode([AppliedPolicy].self,
                                                                   forKey: .appliedConditionalAccessPolicies),
            userAgent: try container.decodeIfPresent(String.self, forKey: .userAgent),
            uniqueTokenIdentifier: try container.decodeIfPresent(String.self, forKey: .uniqueTokenIdentifier))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(createdDateTime, forKey: .createdDateTime)
        try container.encode(userDisplayName, forKey: .userDisplayName)
        try container.encode(userPrincipalName, forKey: .userPrincipalName)
        try container.encode(userId, forKey: .userId)
        try container.encode(appId, forKey: .appId)
        try container.encode(appDisplayName, forKey: .appDisplayName)
        try container.encode(ipAddress, forKey: .ipAddress)
        try container.encode(clientAppUsed, forKey: .clientAppUsed)
        try container.encode(correlationId, forKey: .correlationId)
        try container.encode(isInteractive, forKey: .isInteractive)
        try container.encode(resourceDisplayName, forKey: .resourceDisplayName)
        try container.encode(resourceId, forKey: .resourceId)
        try container.encode(resourceTenantId, forKey: .resourceTenantId)
        try container.encode(resourceTenantId, forKey: .homeTenantId)
        try container.encode(servicePrincipalId, forKey: .servicePrincipalId)
        try container.encode(servicePrincipalName, forKey: .servicePrincipalName)
        try container.encode(status, forKey: .status)
        try container.encode(deviceDetail, forKey: .deviceDetail)
        try container.encode(conditionalAccessStatus, forKey: .conditionalAccessStatus)
        try container.encode(appliedConditionalAccessPolicies, forKey: .appliedConditionalAccessPolicies)
        try container.encode(userAgent, forKey: .userAgent)
        try container.encode(uniqueTokenIdentifier, forKey: .uniqueTokenIdentifier)
        try container.encodeNil(forKey: .location)
        for key in [CodingKeys.riskDetail, .riskLevelAggregated, .riskLevelDuringSignIn, .riskState] {
            try container.encode("none", forKey: key)
        }
        try container.encode([String](), forKey: .riskEventTypes)
        try container.encode([String](), forKey: .riskEventTypesV2)
    }
}
