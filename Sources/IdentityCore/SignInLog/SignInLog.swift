import Foundation
import Logging
import OAuthProtocol

/// Writes the sign-in log: one ``SignInRecord`` per attempt, queued in memory and written in
/// batches (``buffer``), so recording costs the token endpoint no store write. Whoever runs the
/// issuer runs ``WriteBehindBuffer/run(every:sleep:)`` and flushes it at shutdown.
public struct SignInLog: Sendable {
    public let buffer: WriteBehindBuffer<SignInRecord>
    private let clock: any IdentityClock
    private let metrics: IssuerMetrics

    public init(store: any SignInLogStore, clock: any IdentityClock, logger: Logger = Logger(label: "kubeid.signins"),
                metrics: IssuerMetrics = .disabled) {
        self.clock = clock
        self.metrics = metrics
        self.buffer = WriteBehindBuffer(what: "sign-in records", logger: logger, metrics: metrics, metricsName: "signins") { records in
            try await store.appendSignIns(records)
        }
    }

    /// Longest text kept from the request (user agents, typed names, client ids): a flood of
    /// failures with huge values must not fill the buffer's memory or the table.
    static let maximumFieldLength = 256

    /// Records a successful sign-in.
    public func recordSuccess(_ context: SignInContext) {
        buffer.append(record(context, status: .success))
    }

    /// Records a refused sign-in with Entra's code and message.
    public func recordFailure(_ context: SignInContext, error: OAuthError) {
        metrics.signInFailed(flow: context.flow, code: error.code)
        buffer.append(record(context, status: .init(errorCode: error.code, failureReason: error.message)))
    }

    /// The record for `context` (exposed for tests and for callers that write at once).
    public func record(_ context: SignInContext, status: SignInRecord.Status) -> SignInRecord {
        func bounded(_ text: String?) -> String? {
            guard let text, text.utf8.count > Self.maximumFieldLength else { return text }
            return String(text.prefix(Self.maximumFieldLength - 1)) + "…"
        }
        let agent = UserAgentDetails(context.userAgent)
        let device = context.device
        let principal = context.subject?.servicePrincipal
        let user = context.subject?.user
        let application = context.client
        return SignInRecord(
            id: ObjectID.make(), createdDateTime: clock.now(),
            userDisplayName: user?.displayName, userPrincipalName: user?.userPrincipalName, userId: user?.objectID,
            appId: application?.appID ?? bounded(context.requestedClientID), appDisplayName: application?.displayName,
            ipAddress: bounded(context.clientAddress), clientAppUsed: context.flow.clientAppUsed,
            correlationId: bounded(context.correlationID) ?? "", isInteractive: context.isInteractive,
            resourceDisplayName: context.resource?.displayName, resourceId: context.resource?.appID,
            resourceTenantId: context.tenant.id,
            servicePrincipalId: principal?.objectID, servicePrincipalName: principal?.displayName,
            status: status,
            deviceDetail: .init(deviceId: device?.deviceID ?? "", displayName: device?.displayName,
                                operatingSystem: bounded(agent.operatingSystem), browser: bounded(agent.browser),
                                isCompliant: device?.isCompliant, isManaged: device?.isManaged, trustType: device?.trustType),
            userAgent: bounded(context.userAgent), uniqueTokenIdentifier: context.tokenID)
    }
}
