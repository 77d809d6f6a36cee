import Foundation
public import IdentityCore
internal import Logging
internal import PostgresNIO

extension PostgresIdentityStore: GroupStore {
    public func createGroup(_ group: Group) async throws {
        try await directoryTransaction { connection in
            try await connection.run("""
                INSERT INTO groups (tenant_id, object_id, display_name, mail_nickname, description, created_at)
                VALUES (\(group.tenantID), \(group.objectID), \(group.displayName), \(group.mailNickname),
                    \(group.description), \(PostgresValues.timestamp(group.createdAt)))
                """, self.queryLogger)
        }
    }

    public func group(tenantID: String, objectID: String) async throws -> Group? {
        try await read { connection in
            try await Self.fetchGroup(tenantID: tenantID, objectID: objectID, lock: false, connection, self.queryLogger)
        }
    }

    public func listGroups(tenantID: String) async throws -> [Group] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM groups WHERE tenant_id = \(tenantID) ORDER BY display_name, object_id
                """, self.queryLogger).map(Self.group(from:))
        }
    }

    @discardableResult
    public func updateGroup(tenantID: String, objectID: String,
                            _ change: @Sendable (inout Group) throws -> Void) async throws -> Group {
        // The row is locked (FOR UPDATE) from the read to the write; `change` runs again only
        // when the transaction is retried after a deadlock.
        try await withoutActuallyEscaping(change) { change in
            try await directoryTransaction { connection in
                guard let old = try await Self.fetchGroup(tenantID: tenantID, objectID: objectID, lock: true,
                                                          connection, self.queryLogger) else {
                    throw StoreError.notFound("no group \(objectID) in tenant \(tenantID)")
                }
                var new = old
                try change(&new)
                new.tenantID = old.tenantID
                new.objectID = old.objectID
                new.createdAt = old.createdAt
                guard new != old else { return old }
                try await connection.run("""
                    UPDATE groups SET display_name = \(new.displayName), mail_nickname = \(new.mailNickname),
                        description = \(new.description)
                    WHERE tenant_id = \(tenantID) AND object_id = \(objectID)
                    """, self.queryLogger)
                return new
            }
        }
    }

    public func deleteGroup(tenantID: String, objectID: String) async throws {
        try await directoryTransaction { connection in
            // Its members' edges go with it (ON DELETE CASCADE), in the same transaction.
            let deleted = try await connection.changes("""
                DELETE FROM groups WHERE tenant_id = \(tenantID) AND object_id = \(objectID) RETURNING 1
                """, self.queryLogger)
            guard deleted > 0 else { throw StoreError.notFound("no group \(objectID) in tenant \(tenantID)") }
            // The rows naming it as a member or principal have no foreign key to groups (a member
            // or principal may be of three kinds), so they go here. Only rows of kind group: an id
            // names one kind of principal.
            try await connection.run("""
                DELETE FROM group_memberships WHERE tenant_id = \(tenantID) AND member_id = \(objectID)
                    AND member_kind = \(GroupMembership.MemberKind.group.rawValue)
                """, self.queryLogger)
            try await connection.run("""
                DELETE FROM role_assignments WHERE tenant_id = \(tenantID) AND principal_id = \(objectID)
                    AND principal_type = \(RoleAssignment.PrincipalType.group.rawValue)
                """, self.queryLogger)
            try await connection.run("""
                DELETE FROM app_role_assignments WHERE tenant_id = \(tenantID) AND principal_id = \(objectID)
                    AND principal_kind = \(AppRoleAssignment.PrincipalKind.group.rawValue)
                """, self.queryLogger)
        }
    }

    public func addMember(_ membership: GroupMembership) async throws {
        try await directoryTransaction { connection in
            // Checked explicitly (the foreign key would catch it too) for a precise reason; the
            // share lock keeps the group from disappearing before the insert.
            guard try await connection.row("""
                SELECT 1 AS present FROM groups WHERE tenant_id = \(membership.tenantID)
                    AND object_id = \(membership.groupID) FOR KEY SHARE
                """, self.queryLogger) != nil else {
                throw StoreError.notFound("no group \(membership.groupID) in tenant \(membership.tenantID)")
            }
            try await Self.insertMembership(membership, connection, self.queryLogger)
        }
    }

    static func insertMembership(_ membership: GroupMembership, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.run("""
            INSERT INTO group_memberships (tenant_id, group_id, member_id, member_kind, starts_at, ends_at, schedule_id)
            VALUES (\(membership.tenantID), \(membership.groupID), \(membership.memberID),
                \(membership.memberKind.rawValue), \(PostgresValues.timestamp(membership.startsAt)),
                \(PostgresValues.timestamp(membership.endsAt)), \(membership.scheduleID))
            """, logger)
    }

    public func removeMember(tenantID: String, groupID: String, memberID: String) async throws {
        try await directoryTransaction { connection in
            let removed = try await connection.changes("""
                DELETE FROM group_memberships
                WHERE tenant_id = \(tenantID) AND group_id = \(groupID) AND member_id = \(memberID)
                RETURNING 1
                """, self.queryLogger)
            guard removed > 0 else {
                throw StoreError.notFound("\(memberID) is not a direct member of \(groupID)")
            }
        }
    }

    public func members(tenantID: String, groupID: String) async throws -> [GroupMembership] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM group_memberships WHERE tenant_id = \(tenantID) AND group_id = \(groupID) ORDER BY member_id
                """, self.queryLogger).map(Self.membership(from:))
        }
    }

    public func memberships(tenantID: String, directMemberID memberID: String) async throws -> [GroupMembership] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM group_memberships WHERE tenant_id = \(tenantID) AND member_id = \(memberID)
                ORDER BY group_id
                """, self.queryLogger).map(Self.membership(from:))
        }
    }

    static func fetchGroup(tenantID: String, objectID: String, lock: Bool, _ connection: PostgresConnection,
                           _ logger: Logger) async throws -> Group? {
        let query: PostgresQuery = lock
            ? "SELECT * FROM groups WHERE tenant_id = \(tenantID) AND object_id = \(objectID) FOR UPDATE"
            : "SELECT * FROM groups WHERE tenant_id = \(tenantID) AND object_id = \(objectID)"
        return try await connection.row(query, logger).map(group(from:))
    }

    static func group(from row: PostgresColumns) throws -> Group {
        Group(tenantID: try row.string("tenant_id"), objectID: try row.string("object_id"),
              displayName: try row.string("display_name"), mailNickname: try row.string("mail_nickname"),
              createdAt: try row.date("created_at"), description: try row.optionalString("description"))
    }

    static func membership(from row: PostgresColumns) throws -> GroupMembership {
        let kind = try row.string("member_kind")
        guard let memberKind = GroupMembership.MemberKind(rawValue: kind) else {
            throw StoreError.invalidData("unknown member kind \(kind)")
        }
        return GroupMembership(tenantID: try row.string("tenant_id"), groupID: try row.string("group_id"),
                               memberID: try row.string("member_id"), memberKind: memberKind,
                               startsAt: try row.optionalDate("starts_at"), endsAt: try row.optionalDate("ends_at"),
                               scheduleID: try row.optionalString("schedule_id"))
    }
}
