import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: GroupStore {
    public func createGroup(_ group: Group) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO "groups" (tenant_id, object_id, display_name, mail_nickname, created_at)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [group.tenantID, group.objectID, group.displayName, group.mailNickname,
                                 SQLiteValues.milliseconds(group.createdAt)])
        }
    }

    public func group(tenantID: String, objectID: String) async throws -> Group? {
        try await read { db in
            try Row.fetchOne(db, sql: #"SELECT * FROM "groups" WHERE tenant_id = ? AND object_id = ?"#,
                             arguments: [tenantID, objectID]).map(Self.group(from:))
        }
    }

    public func listGroups(tenantID: String) async throws -> [Group] {
        try await read { db in
            try Row.fetchAll(db, sql: #"SELECT * FROM "groups" WHERE tenant_id = ? ORDER BY display_name, object_id"#,
                             arguments: [tenantID]).map(Self.group(from:))
        }
    }

    public func addMember(_ membership: GroupMembership) async throws {
        try await write { db in
            // Checked explicitly (the foreign key would catch it too) for a precise reason.
            let groupExists = try Bool.fetchOne(db, sql: #"SELECT EXISTS (SELECT 1 FROM "groups" WHERE tenant_id = ? AND object_id = ?)"#,
                                                arguments: [membership.tenantID, membership.groupID]) ?? false
            guard groupExists else {
                throw StoreError.notFound("no group \(membership.groupID) in tenant \(membership.tenantID)")
            }
            try db.execute(sql: """
                INSERT INTO group_memberships (tenant_id, group_id, member_id, member_kind) VALUES (?, ?, ?, ?)
                """, arguments: [membership.tenantID, membership.groupID, membership.memberID,
                                 membership.memberKind.rawValue])
        }
    }

    public func removeMember(tenantID: String, groupID: String, memberID: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM group_memberships WHERE tenant_id = ? AND group_id = ? AND member_id = ?",
                           arguments: [tenantID, groupID, memberID])
            guard db.changesCount > 0 else {
                throw StoreError.notFound("\(memberID) is not a direct member of \(groupID)")
            }
        }
    }

    public func members(tenantID: String, groupID: String) async throws -> [GroupMembership] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM group_memberships WHERE tenant_id = ? AND group_id = ? ORDER BY member_id
                """, arguments: [tenantID, groupID]).map(Self.membership(from:))
        }
    }

    public func groupIDs(tenantID: String, directMemberID memberID: String) async throws -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: """
                SELECT group_id FROM group_memberships WHERE tenant_id = ? AND member_id = ? ORDER BY group_id
                """, arguments: [tenantID, memberID])
        }
    }

    static func group(from row: Row) throws -> Group {
        Group(tenantID: try row.string("tenant_id"), objectID: try row.string("object_id"),
              displayName: try row.string("display_name"), mailNickname: try row.string("mail_nickname"),
              createdAt: try row.date("created_at"))
    }

    static func membership(from row: Row) throws -> GroupMembership {
        let kind = try row.string("member_kind")
        guard let memberKind = GroupMembership.MemberKind(rawValue: kind) else {
            throw StoreError.invalidData("unknown member kind \(kind)")
        }
        return GroupMembership(tenantID: try row.string("tenant_id"), groupID: try row.string("group_id"),
                               memberID: try row.string("member_id"), memberKind: memberKind)
    }
}
