import Foundation
public import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: GrantStore {
    public func createAppRoleAssignment(_ assignment: AppRoleAssignment) async throws {
        try await directoryTransaction { connection in
            // The id's primary key and UNIQUE (tenant, principal, resource, role) make both
            // duplicates `alreadyExists`.
            try await connection.run("""
                INSERT INTO app_role_assignments (id, tenant_id, principal_id, principal_kind, resource_id, app_role_id,
                    created_at)
                VALUES (\(assignment.id), \(assignment.tenantID), \(assignment.principalID),
                    \(assignment.principalKind.rawValue), \(assignment.resourceID), \(assignment.appRoleID),
                    \(PostgresValues.timestamp(assignment.createdAt)))
                """, self.queryLogger)
        }
    }

    public func appRoleAssignment(tenantID: String, id: String) async throws -> AppRoleAssignment? {
        try await read { connection in
            try await connection.row("SELECT * FROM app_role_assignments WHERE tenant_id = \(tenantID) AND id = \(id)",
                                     self.queryLogger).map(Self.appRoleAssignment(from:))
        }
    }

    public func appRoleAssignments(tenantID: String, principalID: String) async throws -> [AppRoleAssignment] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM app_role_assignments WHERE tenant_id = \(tenantID) AND principal_id = \(principalID)
                ORDER BY created_at, id
                """, self.queryLogger).map(Self.appRoleAssignment(from:))
        }
    }

    public func appRoleAssignments(tenantID: String, resourceID: String) async throws -> [AppRoleAssignment] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM app_role_assignments WHERE tenant_id = \(tenantID) AND resource_id = \(resourceID)
                ORDER BY created_at, id
                """, self.queryLogger).map(Self.appRoleAssignment(from:))
        }
    }

    public func deleteAppRoleAssignment(tenantID: String, id: String) async throws {
        try await directoryTransaction { connection in
            let deleted = try await connection.changes("""
                DELETE FROM app_role_assignments WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING 1
                """, self.queryLogger)
            guard deleted > 0 else { throw StoreError.notFound("no app role assignment \(id) in tenant \(tenantID)") }
        }
    }

    public func createDirectoryRoleAssignment(_ assignment: DirectoryRoleAssignment) async throws {
        try await directoryTransaction { connection in
            try await connection.run("""
                INSERT INTO directory_role_assignments (id, tenant_id, role_template_id, principal_id, created_at)
                VALUES (\(assignment.id), \(assignment.tenantID), \(assignment.roleTemplateID), \(assignment.principalID),
                    \(PostgresValues.timestamp(assignment.createdAt)))
                """, self.queryLogger)
        }
    }

    public func directoryRoleAssignment(tenantID: String, id: String) async throws -> DirectoryRoleAssignment? {
        try await read { connection in
            try await connection.row("""
                SELECT * FROM directory_role_assignments WHERE tenant_id = \(tenantID) AND id = \(id)
                """, self.queryLogger).map(Self.directoryRoleAssignment(from:))
        }
    }

    public func directoryRoleAssignments(tenantID: String, principalID: String) async throws -> [DirectoryRoleAssignment] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM directory_role_assignments WHERE tenant_id = \(tenantID) AND principal_id = \(principalID)
                ORDER BY created_at, id
                """, self.queryLogger).map(Self.directoryRoleAssignment(from:))
        }
    }

    public func listDirectoryRoleAssignments(tenantID: String) async throws -> [DirectoryRoleAssignment] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM directory_role_assignments WHERE tenant_id = \(tenantID) ORDER BY created_at, id
                """, self.queryLogger).map(Self.directoryRoleAssignment(from:))
        }
    }

    public func deleteDirectoryRoleAssignment(tenantID: String, id: String) async throws {
        try await directoryTransaction { connection in
            let deleted = try await connection.changes("""
                DELETE FROM directory_role_assignments WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING 1
                """, self.queryLogger)
            guard deleted > 0 else {
                throw StoreError.notFound("no directory role assignment \(id) in tenant \(tenantID)")
            }
        }
    }

    // MARK: Rows

    static func appRoleAssignment(from row: PostgresColumns) throws -> AppRoleAssignment {
        let kind = try row.string("principal_kind")
        guard let principalKind = AppRoleAssignment.PrincipalKind(rawValue: kind) else {
            throw StoreError.invalidData("unknown principal kind \(kind)")
        }
        return AppRoleAssignment(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                                 principalID: try row.string("principal_id"), principalKind: principalKind,
                                 resourceID: try row.string("resource_id"), appRoleID: try row.string("app_role_id"),
                                 createdAt: try row.date("created_at"))
    }

    static func directoryRoleAssignment(from row: PostgresColumns) throws -> DirectoryRoleAssignment {
        DirectoryRoleAssignment(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                                roleTemplateID: try row.string("role_template_id"),
                                principalID: try row.string("principal_id"), createdAt: try row.date("created_at"))
    }
}
