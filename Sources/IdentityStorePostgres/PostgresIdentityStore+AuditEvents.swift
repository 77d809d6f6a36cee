import Foundation
public import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: AuditEventStore {
    public func appendAuditEvent(_ event: AuditEvent) async throws {
        let details = try PostgresValues.json(event.details)
        try await read { connection in
            try await connection.run(Self.insertAuditEvent(event, details: details), self.queryLogger)
        }
    }

    public func appendAuditEvents(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        let rows = try events.map { ($0, try PostgresValues.json($0.details)) }
        try await transaction { connection in
            for (event, details) in rows {
                try await connection.run(Self.insertAuditEvent(event, details: details), self.queryLogger)
            }
        }
    }

    private static func insertAuditEvent(_ event: AuditEvent, details: String) -> PostgresQuery {
        """
        INSERT INTO audit_events (id, time, tenant_id, kind, actor, subject, client_id, source_address, outcome,
            details)
        VALUES (\(event.id), \(PostgresValues.timestamp(event.time)), \(event.tenantID), \(event.kind),
            \(event.actor), \(event.subject), \(event.clientID), \(event.sourceAddress), \(event.outcome),
            \(details)::jsonb)
        """
    }

    public func auditEvents(tenantID: String?, since: Date, limit: Int) async throws -> [AuditEvent] {
        guard limit > 0 else { return [] }
        return try await read { connection in
            let query: PostgresQuery
            if let tenantID {
                query = """
                    SELECT *, details::text AS details_text FROM audit_events
                    WHERE tenant_id = \(tenantID) AND time >= \(PostgresValues.timestamp(since))
                    ORDER BY time, id LIMIT \(limit)
                    """
            } else {
                query = """
                    SELECT *, details::text AS details_text FROM audit_events
                    WHERE time >= \(PostgresValues.timestamp(since)) ORDER BY time, id LIMIT \(limit)
                    """
            }
            return try await connection.rows(query, self.queryLogger).map(Self.auditEvent(from:))
        }
    }

    public func deleteAuditEvents(before: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        return try await read { connection in
            try await connection.count("""
                WITH doomed AS (
                    SELECT id FROM audit_events WHERE time < \(PostgresValues.timestamp(before))
                    ORDER BY time LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                deleted AS (
                    DELETE FROM audit_events USING doomed WHERE audit_events.id = doomed.id RETURNING 1)
                SELECT count(*) AS count FROM deleted
                """, self.queryLogger)
        }
    }

    static func auditEvent(from row: PostgresColumns) throws -> AuditEvent {
        AuditEvent(id: try row.string("id"), time: try row.date("time"), tenantID: try row.optionalString("tenant_id"),
                   kind: try row.string("kind"), actor: try row.optionalString("actor"),
                   subject: try row.optionalString("subject"), clientID: try row.optionalString("client_id"),
                   sourceAddress: try row.optionalString("source_address"), outcome: try row.string("outcome"),
                   details: try row.stringMap("details_text"))
    }
}
