import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: GroupStore {
    public func createGroup(_ group: Group) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO "groups" (tenant_id, object_id, display_name, mail_nickname, description, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [group.tenantID, group.objectID, group.displayName, group.mailNickname,
                                 group.description, SQLiteValues.milliseconds(group.createdAt)])
        }
    }

    public func group(tenantID: String, objectID: String) async throws -> Group? {
        try await read { db in try Self.fetchGroup(tenantID: tenantID, objectID: objectID, db) }
    }

    public func listGroups(tenantID: String) async throws -> [Group] {
        try await read { db in
            try Row.fetchAll(db, sql: #"SELECT * FROM "groups" WHERE tenant_id = ? ORDER BY display_name, object_id"#,
                             arguments: [tenantID]).map(Self.group(from:))
        }
    }

    @discardableResult
    public func updateGroup(tenantID: String, objectID: String,
                            _ change: @Sendable (inout Group) throws -> Void) async throws -> Group {
        // Read, change and write share one IMMEDIATE transaction, so `change` runs once and no
        // other writer can interleave.
        try await write { db in
            guard let old = try Self.fetchGroup(tenantID: tenantID, objectID: objectID, db) else {
                throw StoreError.notFound("no group \(objectID) in tenant \(tenantID)")
            }
            var new = old
            try change(&new)
            new.tenantID = old.tenantID
            new.objectID = old.objectID
            new.createdAt = old.createdAt
            guard new != old else { return old }
            try db.execute(sql: """
                UPDATE "groups" SET display_name = ?, mail_nickname = ?, description = ?
                WHERE tenant_id = ? AND object_id = ?
                """, arguments: [new.displayName, new.mailNickname, new.description, tenantID, objectID])
            return new
        }
    }

    public func deleteGroup(tenantID: String, objectID: String) async throws {
        try await write { db in
            // Its members' edges go with it (ON DELETE CASCADE), in the same transaction.
            try db.execute(sql: #"DELETE FROM "groups" WHERE tenant_id = ? AND object_id = ?"#,
                           arguments: [tenantID, objectID])
            guard db.changesCount > 0 else {
                throw StoreError.notFound("no group \(objectID) in tenant \(tenantID)")
            }
            // The rows naming it as a member or principal have no foreign key to groups (a member
            // or principal may be of three kinds), so they go here. Only rows of kind group: an id
            // names one kind of principal.
            try db.execute(sql: """
                DELETE FROM group_memberships WHERE tenant_id = ? AND member_id = ? AND member_kind = ?
                """, arguments: [tenantID, objectID, GroupMembership.MemberKind.group.rawValue])
            try db.execute(sql: """
                DELETE FROM role_assignments WHERE tenant_id = ? AND principal_id = ? AND principal_type = ?
                """, arguments: [tenantID, objectID, RoleAssignment.PrincipalType.group.rawValue])
            try db.execute(sql: """
                DELETE FROM app_role_assignments WHERE tenant_id = ? AND principal_id = ? AND principal_kind = ?
                """, arguments: [tenantID, objectID, AppRoleAssignment.PrincipalKind.group.rawValue])
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
            try Self.insertMembership(membership, db)
        }
    }

    static func insertMembership(_ membership: GroupMembership, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO group_memberships (tenant_id, group_id, member_id, member_kind, starts_at, ends_at, schedule_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [membership.tenantID, membership.groupID, membership.memberID, membership.memberKind.rawValue,
                             SQLiteValues.milliseconds(membership.startsAt), SQLiteValues.milliseconds(membership.endsAt),
                             membership.scheduleID])
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

    public func memberships(tenantID: String, directMemberID memberID: String) async throws -> [GroupMembership] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM group_memberships WHERE tenant_id = ? AND member_id = ? ORDER BY group_id
                """, arguments: [tenantID, memberID]).map(Self.membership(from:))
        }
    }

    static func fetchGroup(tenantID: String, objectID: String, _ db: Database) throws -> Group? {
        try Row.fetchOne(db, sql: #"SELECT * FROM "groups" WHERE tenant_id = ? AND object_id = ?"#,
                         arguments: [tenantID, objectID]).map(group(from:))
    }

    static func group(from row: Row) throws -> Group {
        Group(tenantID: try row.string("tenant_id"), objectID: try row.string("object_id"),
              displayName: try row.string("display_name"), mailNickname: try row.string("mail_nickname"),
              createdAt: try row.date("created_at"), description: try row.optionalString("description"))
    }

    static func membership(from row: Row) throws -> GroupMembership {
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
