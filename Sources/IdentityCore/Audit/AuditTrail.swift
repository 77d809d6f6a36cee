import Foundation
import Logging

/// Appends ``AuditEvent``s. A failing audit write is logged, never turned into a failed
/// sign-in: the event is lost, the user is not locked out by a full disk.
///
/// ``record(_:tenantID:outcome:actor:subject:clientID:sourceAddress:details:)`` writes at once;
/// ``recordLater(_:tenantID:outcome:actor:subject:clientID:sourceAddress:details:)`` queues the
/// event in ``buffer`` for the next batch, for paths that run on every request.
public struct AuditTrail: Sendable {
    private let store: any AuditEventStore
    private let clock: any IdentityClock
    private let logger: Logger
    /// The batch writer behind ``recordLater(_:tenantID:outcome:actor:subject:clientID:sourceAddress:details:)``;
    /// whoever runs the issuer runs ``AuditBuffer/run(every:)`` and flushes it at shutdown.
    public let buffer: AuditBuffer

    public init(store: any AuditEventStore, clock: any IdentityClock, logger: Logger = Logger(label: "kubeid.audit"),
                metrics: IssuerMetrics = .disabled) {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.buffer = AuditBuffer(store: store, logger: logger, metrics: metrics)
    }

    /// Records one event. `details` must never hold a token, secret, password or code.
    public func record(_ kind: String, tenantID: String?, outcome: String = "success", actor: String? = nil,
                       subject: String? = nil, clientID: String? = nil, sourceAddress: String? = nil,
                       details: [String: String] = [:]) async {
        let event = makeEvent(kind, tenantID: tenantID, outcome: outcome, actor: actor, subject: subject,
                              clientID: clientID, sourceAddress: sourceAddress, details: details)
        do {
            try await store.appendAuditEvent(event)
        } catch {
            logger.error("audit event could not be stored", metadata: ["kind": "\(kind)", "error": "\(error)"])
        }
    }

    /// Queues one event for the next batch write; returns at once. Same rules for `details`.
    public func recordLater(_ kind: String, tenantID: String?, outcome: String = "success", actor: String? = nil,
                            subject: String? = nil, clientID: String? = nil, sourceAddress: String? = nil,
                            details: [String: String] = [:]) {
        buffer.append(makeEvent(kind, tenantID: tenantID, outcome: outcome, actor: actor, subject: subject,
                                clientID: clientID, sourceAddress: sourceAddress, details: details))
    }

    /// Longest text kept in one field. Several fields come from the request (a client id, a user
    /// name); unbounded, a flood of failed requests with megabyte-long values would fill the
    /// buffer's memory and the table.
    static let maximumFieldLength = 256

    private func makeEvent(_ kind: String, tenantID: String?, outcome: String, actor: String?, subject: String?,
                           clientID: String?, sourceAddress: String?, details: [String: String]) -> AuditEvent {
        func bounded(_ text: String?) -> String? {
            guard let text, text.utf8.count > Self.maximumFieldLength else { return text }
            return String(text.prefix(Self.maximumFieldLength - 1)) + "…"
        }
        return AuditEvent(id: ObjectID.make(), time: clock.now(), tenantID: bounded(tenantID), kind: kind,
                          actor: bounded(actor), subject: bounded(subject), clientID: bounded(clientID),
                          sourceAddress: bounded(sourceAddress), outcome: outcome,
                          details: details.mapValues { bounded($0) ?? "" })
    }
}
