import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: AuditEventStore {
    public func appendAuditEvent(_ event: AuditEvent) async throws {
        try await appendAuditEvents([event])
    }

    public func appendAuditEvents(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        try await write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO audit_events (id, time, tenant_id, kind, actor, subject, client_id, source_address,
                    outcome, details)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for event in events {
                try insert.execute(arguments: [event.id, SQLiteValues.milliseconds(event.time), event.tenantID, event.kind,
                                               event.actor, event.subject, event.clientID, event.sourceAddress, event.outcome,
                                               try SQLiteValues.json(event.details)])
            }
        }
    }

    public func auditEvents(tenantID: String?, since: Date, limit: Int) async throws -> [AuditEvent] {
        // SQLite reads a negative LIMIT as "no limit"; the contract says at most `limit`.
        guard limit > 0 else { return [] }
        return try await read { db in
            if let tenantID {
                return try Row.fetchAll(db, sql: """
                    SELECT * FROM audit_events WHERE tenant_id = ? AND time >= ? ORDER BY time, id LIMIT ?
                    """, arguments: [tenantID, SQLiteValues.milliseconds(since), limit]).map(Self.auditEvent(from:))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM audit_events WHERE time >= ? ORDER BY time, id LIMIT ?",
                                    arguments: [SQLiteValues.milliseconds(since), limit]).map(Self.auditEvent(from:))
        }
    }

    public func deleteAuditEvents(before: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        return try await write { db in
            try db.execute(sql: """
                DELETE FROM audit_events WHERE rowid IN (
                    SELECT rowid FROM audit_events WHERE time < ? ORDER BY time LIMIT ?)
                """, arguments: [SQLiteValues.milliseconds(before), limit])
            return db.changesCount
        }
    }

    // MARK: Rows

    static func auditEvent(from row: Row) throws -> AuditEvent {
        AuditEvent(id: try row.string("id"), time: try row.date("time"), tenantID: try row.optionalString("tenant_id"),
                   kind: try row.string("kind"), actor: try row.optionalString("actor"),
                   subject: try row.optionalString("subject"), clientID: try row.optionalString("client_id"),
                   sourceAddress: try row.optionalString("source_address"), outcome: try row.string("outcome"),
                   details: try row.stringMap("details"))
    }
}
