import Foundation
public import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: PrivilegedAccessStore {
    public func privilegedAccessPolicy(tenantID: String, groupID: String,
                                       access: PrivilegedAccessSchedule.Access) async throws -> PrivilegedAccessPolicy? {
        try await read { connection in
            try await connection.row("""
                SELECT body FROM privileged_access_policies
                WHERE tenant_id = \(tenantID) AND group_id = \(groupID) AND access = \(access.rawValue)
                """, self.queryLogger)
                .map { try PrivilegedAccessRecordCoding.decode(PrivilegedAccessPolicy.self, from: try $0.string("body")) }
        }
    }

    public func savePrivilegedAccessPolicy(_ policy: PrivilegedAccessPolicy) async throws {
        let body = try PrivilegedAccessRecordCoding.encode(policy)
        try await transaction { connection in
            try await connection.run("""
                INSERT INTO privileged_access_policies (tenant_id, group_id, access, body)
                VALUES (\(policy.tenantID), \(policy.groupID), \(policy.access.rawValue), \(body))
                ON CONFLICT (tenant_id, group_id, access) DO UPDATE SET body = excluded.body
                """, self.queryLogger)
        }
    }

    public func privilegedAccessRequest(tenantID: String, id: String) async throws -> PrivilegedAccessRequest? {
        try await read { connection in
            try await connection.row("""
                SELECT body FROM privileged_access_requests WHERE tenant_id = \(tenantID) AND id = \(id)
                """, self.queryLogger)
                .map { try PrivilegedAccessRecordCoding.decode(PrivilegedAccessRequest.self, from: try $0.string("body")) }
        }
    }

    public func privilegedAccessRequests(tenantID: String,
                                         kind: PrivilegedAccessSchedule.Kind) async throws -> [PrivilegedAccessRequest] {
        try await read { connection in
            try await connection.rows("""
                SELECT body FROM privileged_access_requests WHERE tenant_id = \(tenantID) AND kind = \(kind.rawValue)
                ORDER BY created_at DESC, id
                """, self.queryLogger)
                .map { try PrivilegedAccessRecordCoding.decode(PrivilegedAccessRequest.self, from: try $0.string("body")) }
        }
    }

    public func privilegedAccessSchedule(tenantID: String, id: String) async throws -> PrivilegedAccessSchedule? {
        try await read { connection in
            try await connection.row("""
                SELECT body FROM privileged_access_schedules WHERE tenant_id = \(tenantID) AND id = \(id)
                """, self.queryLogger)
                .map { try PrivilegedAccessRecordCoding.decode(PrivilegedAccessSchedule.self, from: try $0.string("body")) }
        }
    }

    public func privilegedAccessSchedules(tenantID: String,
                                          kind: PrivilegedAccessSchedule.Kind) async throws -> [PrivilegedAccessSchedule] {
        try await read { connection in
            try await connection.rows("""
                SELECT body FROM privileged_access_schedules WHERE tenant_id = \(tenantID) AND kind = \(kind.rawValue)
                ORDER BY starts_at, id
                """, self.queryLogger)
                .map { try PrivilegedAccessRecordCoding.decode(PrivilegedAccessSchedule.self, from: try $0.string("body")) }
        }
    }

    public func commitPrivilegedAccess(_ change: PrivilegedAccessChange) async throws {
        let request = change.request
        let requestBody = try PrivilegedAccessRecordCoding.encode(request)
        let body: String?
        switch change.schedule {
        case .create(let schedule)?, .update(let schedule)?: body = try PrivilegedAccessRecordCoding.encode(schedule)
        default: body = nil
        }
        let now = PostgresValues.timestamp(change.now)
        let schedule = change.schedule
        let membership = change.membership
        let expected = change.expectedStatus
        // A membership write changes the directory (the version row first, as every directory
        // write locks it); a request alone does not.
        let run: @Sendable (PostgresConnection) async throws -> Void = { connection in
            if let expected {
                let updated = try await connection.changes("""
                    UPDATE privileged_access_requests SET status = \(request.status.rawValue), body = \(requestBody)
                    WHERE tenant_id = \(request.tenantID) AND id = \(request.id) AND status = \(expected.rawValue)
                    RETURNING 1
                    """, self.queryLogger)
                guard updated > 0 else { throw StoreError.conflict("request \(request.id) is no longer \(expected.rawValue)") }
            } else {
                try await connection.run("""
                    INSERT INTO privileged_access_requests (tenant_id, id, kind, created_at, status, body)
                    VALUES (\(request.tenantID), \(request.id), \(request.kind.rawValue),
                        \(PostgresValues.timestamp(request.createdAt)), \(request.status.rawValue), \(requestBody))
                    """, self.queryLogger)
            }
            switch schedule {
            case .create(let schedule)?:
                try await connection.run("""
                    DELETE FROM privileged_access_schedules WHERE tenant_id = \(schedule.tenantID)
                        AND kind = \(schedule.kind.rawValue) AND group_id = \(schedule.groupID)
                        AND principal_id = \(schedule.principalID) AND access = \(schedule.access.rawValue)
                        AND ends_at IS NOT NULL AND ends_at <= \(now)
                    """, self.queryLogger)
                try await connection.run("""
                    INSERT INTO privileged_access_schedules
                        (tenant_id, id, kind, group_id, principal_id, access, starts_at, ends_at, body)
                    VALUES (\(schedule.tenantID), \(schedule.id), \(schedule.kind.rawValue), \(schedule.groupID),
                        \(schedule.principalID), \(schedule.access.rawValue), \(PostgresValues.timestamp(schedule.startsAt)),
                        \(PostgresValues.timestamp(schedule.endsAt)), \(body))
                    """, self.queryLogger)
            case .update(let schedule)?:
                let updated = try await connection.changes("""
                    UPDATE privileged_access_schedules SET starts_at = \(PostgresValues.timestamp(schedule.startsAt)),
                        ends_at = \(PostgresValues.timestamp(schedule.endsAt)), body = \(body)
                    WHERE tenant_id = \(schedule.tenantID) AND id = \(schedule.id) RETURNING 1
                    """, self.queryLogger)
                guard updated > 0 else { throw StoreError.notFound("no schedule \(schedule.id)") }
            case .delete(let id)?:
                let deleted = try await connection.changes("""
                    DELETE FROM privileged_access_schedules WHERE tenant_id = \(request.tenantID) AND id = \(id) RETURNING 1
                    """, self.queryLogger)
                guard deleted > 0 else { throw StoreError.notFound("no schedule \(id)") }
            case nil:
                break
            }
            switch membership {
            case .add(let edge)?:
                try await connection.run("""
                    DELETE FROM group_memberships WHERE tenant_id = \(edge.tenantID) AND group_id = \(edge.groupID)
                        AND member_id = \(edge.memberID) AND ends_at IS NOT NULL AND ends_at <= \(now)
                    """, self.queryLogger)
                try await Self.insertMembership(edge, connection, self.queryLogger)
            case .setEnd(let scheduleID, let endsAt)?:
                try await connection.run("""
                    UPDATE group_memberships SET ends_at = \(PostgresValues.timestamp(endsAt))
                    WHERE tenant_id = \(request.tenantID) AND schedule_id = \(scheduleID)
                    """, self.queryLogger)
            case .remove(let scheduleID)?:
                try await connection.run("""
                    DELETE FROM group_memberships WHERE tenant_id = \(request.tenantID) AND schedule_id = \(scheduleID)
                    """, self.queryLogger)
            case nil:
                break
            }
        }
        switch membership {
        case nil: try await transaction(run)
        default: try await directoryTransaction(run)
        }
    }

    public func deleteEndedPrivilegedAccess(before instant: Date, limit: Int) async throws -> [PrivilegedAccessSchedule] {
        let cutoff = PostgresValues.timestamp(instant)
        return try await directoryTransaction { connection in
            let rows = try await connection.rows("""
                DELETE FROM privileged_access_schedules WHERE (tenant_id, id) IN (
                    SELECT tenant_id, id FROM privileged_access_schedules
                    WHERE ends_at IS NOT NULL AND ends_at < \(cutoff) LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING body
                """, self.queryLogger)
            try await connection.run("""
                DELETE FROM group_memberships WHERE ends_at IS NOT NULL AND ends_at < \(cutoff)
                """, self.queryLogger)
            return try rows.map { try PrivilegedAccessRecordCoding.decode(PrivilegedAccessSchedule.self, from: try $0.string("body")) }
        }
    }
}
