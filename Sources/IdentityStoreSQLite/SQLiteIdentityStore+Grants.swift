import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: GrantStore {
    public func createAppRoleAssignment(_ assignment: AppRoleAssignment) async throws {
        try await write { db in
            // The id's primary key and UNIQUE (tenant, principal, resource, role) make both
            // duplicates `alreadyExists`.
            try db.execute(sql: """
                INSERT INTO app_role_assignments (id, tenant_id, principal_id, principal_kind, resource_id, app_role_id,
                    created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [assignment.id, assignment.tenantID, assignment.principalID,
                                 assignment.principalKind.rawValue, assignment.resourceID, assignment.appRoleID,
                                 SQLiteValues.milliseconds(assignment.createdAt)])
        }
    }

    public func appRoleAssignment(tenantID: String, id: String) async throws -> AppRoleAssignment? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM app_role_assignments WHERE tenant_id = ? AND id = ?",
                             arguments: [tenantID, id]).map(Self.appRoleAssignment(from:))
        }
    }

    public func appRoleAssignments(tenantID: String, principalID: String) async throws -> [AppRoleAssignment] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM app_role_assignments WHERE tenant_id = ? AND principal_id = ? ORDER BY created_at, id
                """, arguments: [tenantID, principalID]).map(Self.appRoleAssignment(from:))
        }
    }

    public func appRoleAssignments(tenantID: String, resourceID: String) async throws -> [AppRoleAssignment] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM app_role_assignments WHERE tenant_id = ? AND resource_id = ? ORDER BY created_at, id
                """, arguments: [tenantID, resourceID]).map(Self.appRoleAssignment(from:))
        }
    }

    public func deleteAppRoleAssignment(tenantID: String, id: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM app_role_assignments WHERE tenant_id = ? AND id = ?", arguments: [tenantID, id])
            guard db.changesCount > 0 else {
                throw StoreError.notFound("no app role assignment \(id) in tenant \(tenantID)")
            }
        }
    }

    public func createDirectoryRoleAssignment(_ assignment: DirectoryRoleAssignment) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO directory_role_assignments (id, tenant_id, role_template_id, principal_id, created_at)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [assignment.id, assignment.tenantID, assignment.roleTemplateID, assignment.principalID,
                                 SQLiteValues.milliseconds(assignment.createdAt)])
        }
    }

    public func directoryRoleAssignment(tenantID: String, id: String) async throws -> DirectoryRoleAssignment? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM directory_role_assignments WHERE tenant_id = ? AND id = ?",
                             arguments: [tenantID, id]).map(Self.directoryRoleAssignment(from:))
        }
    }

    public func directoryRoleAssignments(tenantID: String, principalID: String) async throws -> [DirectoryRoleAssignment] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM directory_role_assignments WHERE tenant_id = ? AND principal_id = ? ORDER BY created_at, id
                """, arguments: [tenantID, principalID]).map(Self.directoryRoleAssignment(from:))
        }
    }

    public func listDirectoryRoleAssignments(tenantID: String) async throws -> [DirectoryRoleAssignment] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM directory_role_assignments WHERE tenant_id = ? ORDER BY created_at, id
                """, arguments: [tenantID]).map(Self.directoryRoleAssignment(from:))
        }
    }

    public func deleteDirectoryRoleAssignment(tenantID: String, id: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM directory_role_assignments WHERE tenant_id = ? AND id = ?",
                           arguments: [tenantID, id])
            guard db.changesCount > 0 else {
                throw StoreError.notFound("no directory role assignment \(id) in tenant \(tenantID)")
            }
        }
    }

    // MARK: Rows

    static func appRoleAssignment(from row: Row) throws -> AppRoleAssignment {
        AppRoleAssignment(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                          principalID: try row.string("principal_id"),
                          principalKind: try row.rawValue("principal_kind", as: AppRoleAssignment.PrincipalKind.self),
                          resourceID: try row.string("resource_id"), appRoleID: try row.string("app_role_id"),
                          createdAt: try row.date("created_at"))
    }

    static func directoryRoleAssignment(from row: Row) throws -> DirectoryRoleAssignment {
        DirectoryRoleAssignment(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                                roleTemplateID: try row.string("role_template_id"),
                                principalID: try row.string("principal_id"), createdAt: try row.date("created_at"))
    }
}
