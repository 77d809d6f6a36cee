import Foundation
public import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: GroupStore {
    public func createGroup(_ group: Group) async throws {
        try await directoryTransaction { connection in
            try await connection.run("""
                INSERT INTO groups (tenant_id, object_id, display_name, mail_nickname, created_at)
                VALUES (\(group.tenantID), \(group.objectID), \(group.displayName), \(group.mailNickname),
                    \(PostgresValues.timestamp(group.createdAt)))
                """, self.queryLogger)
        }
    }

    public func group(tenantID: String, objectID: String) async throws -> Group? {
        try await read { connection in
            try await connection.row("SELECT * FROM groups WHERE tenant_id = \(tenantID) AND object_id = \(objectID)",
                                     self.queryLogger).map(Self.group(from:))
        }
    }

    public func listGroups(tenantID: String) async throws -> [Group] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM groups WHERE tenant_id = \(tenantID) ORDER BY display_name, object_id
                """, self.queryLogger).map(Self.group(from:))
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
            try await connection.run("""
                INSERT INTO group_memberships (tenant_id, group_id, member_id, member_kind)
                VALUES (\(membership.tenantID), \(membership.groupID), \(membership.memberID),
                    \(membership.memberKind.rawValue))
                """, self.queryLogger)
        }
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

    public func groupIDs(tenantID: String, directMemberID memberID: String) async throws -> [String] {
        try await read { connection in
            try await connection.rows("""
                SELECT group_id FROM group_memberships WHERE tenant_id = \(tenantID) AND member_id = \(memberID)
                ORDER BY group_id
                """, self.queryLogger).map { try $0.string("group_id") }
        }
    }

    static func group(from row: PostgresColumns) throws -> Group {
        Group(tenantID: try row.string("tenant_id"), objectID: try row.string("object_id"),
              displayName: try row.string("display_name"), mailNickname: try row.string("mail_nickname"),
              createdAt: try row.date("created_at"))
    }

    static func membership(from row: PostgresColumns) throws -> GroupMembership {
        let kind = try row.string("member_kind")
        guard let memberKind = GroupMembership.MemberKind(rawValue: kind) else {
            throw StoreError.invalidData("unknown member kind \(kind)")
        }
        return GroupMembership(tenantID: try row.string("tenant_id"), groupID: try row.string("group_id"),
                               memberID: try row.string("member_id"), memberKind: memberKind)
    }
}
