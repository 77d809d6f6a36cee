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

    public init(store: any AuditEventStore, clock: any IdentityClock, logger: Logger = Logger(label: "kubeid.audit")) {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.buffer = AuditBuffer(store: store, logger: logger)
    }

    /// Records one event. `details` must never hold a token, secret, password or code.
    public func record(_ kind: String, tenantID: String?, outcome: String = "success", actor: String? = nil,
                       subject: String? = nil, clientID: String? = nil, sourceAddress: String? = nil,
                       details: [String: String] = [:]) async {
        let event = AuditEvent(id: ObjectID.make(), time: clock.now(), tenantID: tenantID, kind: kind, actor: actor,
                               subject: subject, clientID: clientID, sourceAddress: sourceAddress, outcome: outcome,
                               details: details)
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
        buffer.append(AuditEvent(id: ObjectID.make(), time: clock.now(), tenantID: tenantID, kind: kind, actor: actor,
                                 subject: subject, clientID: clientID, sourceAddress: sourceAddress, outcome: outcome,
                                 details: details))
    }
}
