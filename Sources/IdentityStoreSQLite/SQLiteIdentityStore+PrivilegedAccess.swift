import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: PrivilegedAccessStore {
    public func privilegedAccessPolicy(tenantID: String, groupID: String,
                                       access: PrivilegedAccessSchedule.Access) async throws -> PrivilegedAccessPolicy? {
        try await read { db in
            try String.fetchOne(db, sql: """
                SELECT body FROM privileged_access_policies WHERE tenant_id = ? AND group_id = ? AND access = ?
                """, arguments: [tenantID, groupID, access.rawValue])
                .map { try PrivilegedAccessRecordCoding.decode(PrivilegedAccessPolicy.self, from: $0) }
        }
    }

    public func savePrivilegedAccessPolicy(_ policy: PrivilegedAccessPolicy) async throws {
        let body = try PrivilegedAccessRecordCoding.encode(policy)
        try await write { db in
            try db.execute(sql: """
                INSERT INTO privileged_access_policies (tenant_id, group_id, access, body) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id, group_id, access) DO UPDATE SET body = excluded.body
                """, arguments: [policy.tenantID, policy.groupID, policy.access.rawValue, body])
        }
    }

    public func privilegedAccessRequest(tenantID: String, id: String) async throws -> PrivilegedAccessRequest? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT body FROM privileged_access_requests WHERE tenant_id = ? AND id = ?",
                                arguments: [tenantID, id])
                .map { try PrivilegedAccessRecordCoding.decode(PrivilegedAccessRequest.self, from: $0) }
        }
    }

    public func privilegedAccessRequests(tenantID: String,
                                         kind: PrivilegedAccessSchedule.Kind) async throws -> [PrivilegedAccessRequest] {
        try await read { db in
            try String.fetchAll(db, sql: """
                SELECT body FROM privileged_access_requests WHERE tenant_id = ? AND kind = ?
                ORDER BY created_at DESC, id
                """, arguments: [tenantID, kind.rawValue])
                .map { try PrivilegedAccessRecordCoding.decode(PrivilegedAccessRequest.self, from: $0) }
        }
    }

    public func privilegedAccessSchedule(tenantID: String, id: String) async throws -> PrivilegedAccessSchedule? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT body FROM privileged_access_schedules WHERE tenant_id = ? AND id = ?",
                                arguments: [tenantID, id])
                .map { try PrivilegedAccessRecordCoding.decode(PrivilegedAccessSchedule.self, from: $0) }
        }
    }

    public func privilegedAccessSchedules(tenantID: String,
                                          kind: PrivilegedAccessSchedule.Kind) async throws -> [PrivilegedAccessSchedule] {
        try await read { db in
            try String.fetchAll(db, sql: """
                SELECT body FROM privileged_access_schedules WHERE tenant_id = ? AND kind = ? ORDER BY starts_at, id
                """, arguments: [tenantID, kind.rawValue])
                .map { try PrivilegedAccessRecordCoding.decode(PrivilegedAccessSchedule.self, from: $0) }
        }
    }

    public func commitPrivilegedAccess(_ change: PrivilegedAccessChange) async throws {
        let request = change.request
        let requestBody = try PrivilegedAccessRecordCoding.encode(request)
        let scheduleBody: String?
        switch change.schedule {
        case .create(let schedule)?, .update(let schedule)?: scheduleBody = try PrivilegedAccessRecordCoding.encode(schedule)
        default: scheduleBody = nil
        }
        let now = SQLiteValues.milliseconds(change.now)
        try await write { db in
            if let expected = change.expectedStatus {
                try db.execute(sql: """
                    UPDATE privileged_access_requests SET status = ?, body = ? WHERE tenant_id = ? AND id = ? AND status = ?
                    """, arguments: [request.status.rawValue, requestBody, request.tenantID, request.id, expected.rawValue])
                guard db.changesCount > 0 else {
                    throw StoreError.conflict("request \(request.id) is no longer \(expected.rawValue)")
                }
            } else {
                try db.execute(sql: """
                    INSERT INTO privileged_access_requests (tenant_id, id, kind, created_at, status, body) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [request.tenantID, request.id, request.kind.rawValue,
                                     SQLiteValues.milliseconds(request.createdAt), request.status.rawValue, requestBody])
            }
            switch change.schedule {
            case .create(let schedule)?:
                try db.execute(sql: """
                    DELETE FROM privileged_access_schedules WHERE tenant_id = ? AND kind = ? AND group_id = ?
                        AND principal_id = ? AND access = ? AND ends_at IS NOT NULL AND ends_at <= ?
                    """, arguments: [schedule.tenantID, schedule.kind.rawValue, schedule.groupID, schedule.principalID,
                                     schedule.access.rawValue, now])
                try db.execute(sql: """
                    INSERT INTO privileged_access_schedules
                        (tenant_id, id, kind, group_id, principal_id, access, starts_at, ends_at, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [schedule.tenantID, schedule.id, schedule.kind.rawValue, schedule.groupID,
                                     schedule.principalID, schedule.access.rawValue, SQLiteValues.milliseconds(schedule.startsAt),
                                     SQLiteValues.milliseconds(schedule.endsAt), scheduleBody])
            case .update(let schedule)?:
                try db.execute(sql: """
                    UPDATE privileged_access_schedules SET starts_at = ?, ends_at = ?, body = ? WHERE tenant_id = ? AND id = ?
                    """, arguments: [SQLiteValues.milliseconds(schedule.startsAt), SQLiteValues.milliseconds(schedule.endsAt),
                                     scheduleBody, schedule.tenantID, schedule.id])
                guard db.changesCount > 0 else { throw StoreError.notFound("no schedule \(schedule.id)") }
            case .delete(let id)?:
                try db.execute(sql: "DELETE FROM privileged_access_schedules WHERE tenant_id = ? AND id = ?",
                               arguments: [request.tenantID, id])
                guard db.changesCount > 0 else { throw StoreError.notFound("no schedule \(id)") }
            case nil:
                break
            }
            switch change.membership {
            case .add(let edge)?:
                try db.execute(sql: """
                    DELETE FROM group_memberships WHERE tenant_id = ? AND group_id = ? AND member_id = ?
                        AND ends_at IS NOT NULL AND ends_at <= ?
                    """, arguments: [edge.tenantID, edge.groupID, edge.memberID, now])
                try Self.insertMembership(edge, db)
            case .setEnd(let scheduleID, let endsAt)?:
                try db.execute(sql: "UPDATE group_memberships SET ends_at = ? WHERE tenant_id = ? AND schedule_id = ?",
                               arguments: [SQLiteValues.milliseconds(endsAt), request.tenantID, scheduleID])
            case .remove(let scheduleID)?:
                try db.execute(sql: "DELETE FROM group_memberships WHERE tenant_id = ? AND schedule_id = ?",
                               arguments: [request.tenantID, scheduleID])
            case nil:
                break
            }
        }
    }

    public func deleteEndedPrivilegedAccess(before instant: Date, limit: Int) async throws -> [PrivilegedAccessSchedule] {
        let cutoff = SQLiteValues.milliseconds(instant)
        return try await write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT tenant_id, id, body FROM privileged_access_schedules WHERE ends_at IS NOT NULL AND ends_at < ? LIMIT ?
                """, arguments: [cutoff, limit])
            var ended: [PrivilegedAccessSchedule] = []
            for row in rows {
                try db.execute(sql: "DELETE FROM privileged_access_schedules WHERE tenant_id = ? AND id = ?",
                               arguments: [try row.string("tenant_id"), try row.string("id")])
                ended.append(try PrivilegedAccessRecordCoding.decode(PrivilegedAccessSchedule.self, from: try row.string("body")))
            }
            try db.execute(sql: "DELETE FROM group_memberships WHERE ends_at IS NOT NULL AND ends_at < ?", arguments: [cutoff])
            return ended
        }
    }
}
