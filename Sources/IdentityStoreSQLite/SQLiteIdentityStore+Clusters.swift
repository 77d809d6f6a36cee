import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: ClusterStore {
    public func createCluster(_ cluster: Cluster) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO clusters (tenant_id, object_id, name, server, certificate_authority_pem, aad_enabled,
                    aad_tenant_id, aad_admin_group_ids, azure_rbac_enabled, rbac_enabled, local_accounts_disabled,
                    local_ca_certificate_pem, local_ca_private_key_pem, webhook_token_hash, audience, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: try Self.arguments(cluster))
        }
    }

    public func cluster(tenantID: String, name: String) async throws -> Cluster? {
        try await read { db in
            // The column's NOCASE collation makes this comparison ignore ASCII case.
            try Row.fetchOne(db, sql: "SELECT * FROM clusters WHERE tenant_id = ? AND name = ?",
                             arguments: [tenantID, name]).map(Self.cluster(from:))
        }
    }

    public func cluster(tenantID: String, objectID: String) async throws -> Cluster? {
        try await read { db in try Self.fetchCluster(tenantID: tenantID, objectID: objectID, db) }
    }

    public func listClusters(tenantID: String) async throws -> [Cluster] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM clusters WHERE tenant_id = ? ORDER BY name, object_id",
                             arguments: [tenantID]).map(Self.cluster(from:))
        }
    }

    @discardableResult
    public func updateCluster(tenantID: String, objectID: String,
                              _ change: @Sendable (inout Cluster) throws -> Void) async throws -> Cluster {
        try await write { db in
            guard let old = try Self.fetchCluster(tenantID: tenantID, objectID: objectID, db) else {
                throw StoreError.notFound("no cluster \(objectID) in tenant \(tenantID)")
            }
            var new = old
            try change(&new)
            new.tenantID = old.tenantID
            new.objectID = old.objectID
            new.name = old.name
            new.createdAt = old.createdAt
            guard new != old else { return old }
            try db.execute(sql: """
                UPDATE clusters SET server = ?, certificate_authority_pem = ?, aad_enabled = ?, aad_tenant_id = ?,
                    aad_admin_group_ids = ?, azure_rbac_enabled = ?, rbac_enabled = ?, local_accounts_disabled = ?,
                    local_ca_certificate_pem = ?, local_ca_private_key_pem = ?, webhook_token_hash = ?, audience = ?,
                    updated_at = ?
                WHERE tenant_id = ? AND object_id = ?
                """, arguments: [new.server, new.certificateAuthorityPEM, new.aadProfile != nil, new.aadProfile?.tenantID,
                                 try SQLiteValues.json(new.aadProfile?.adminGroupObjectIDs ?? []),
                                 new.aadProfile?.azureRBACEnabled ?? false, new.rbacEnabled, new.localAccountsDisabled,
                                 new.localAccountCA.certificatePEM, new.localAccountCA.privateKeyPEM,
                                 SQLiteValues.blob(new.webhookTokenHash), new.audience, SQLiteValues.milliseconds(new.updatedAt),
                                 tenantID, objectID])
            return new
        }
    }

    public func deleteCluster(tenantID: String, objectID: String) async throws {
        try await write { db in
            // Role assignments go with it (ON DELETE CASCADE), in the same transaction.
            try db.execute(sql: "DELETE FROM clusters WHERE tenant_id = ? AND object_id = ?", arguments: [tenantID, objectID])
            guard db.changesCount > 0 else { throw StoreError.notFound("no cluster \(objectID) in tenant \(tenantID)") }
        }
    }

    // MARK: Rows

    static func fetchCluster(tenantID: String, objectID: String, _ db: Database) throws -> Cluster? {
        try Row.fetchOne(db, sql: "SELECT * FROM clusters WHERE tenant_id = ? AND object_id = ?",
                         arguments: [tenantID, objectID]).map(cluster(from:))
    }

    static func arguments(_ cluster: Cluster) throws -> StatementArguments {
        [cluster.tenantID, cluster.objectID, cluster.name, cluster.server, cluster.certificateAuthorityPEM,
         cluster.aadProfile != nil, cluster.aadProfile?.tenantID, try SQLiteValues.json(cluster.aadProfile?.adminGroupObjectIDs ?? []),
         cluster.aadProfile?.azureRBACEnabled ?? false, cluster.rbacEnabled, cluster.localAccountsDisabled,
         cluster.localAccountCA.certificatePEM, cluster.localAccountCA.privateKeyPEM, SQLiteValues.blob(cluster.webhookTokenHash),
         cluster.audience, SQLiteValues.milliseconds(cluster.createdAt), SQLiteValues.milliseconds(cluster.updatedAt)]
    }

    static func cluster(from row: Row) throws -> Cluster {
        var profile: AADProfile?
        if try row.bool("aad_enabled") {
            guard let tenant = try row.optionalString("aad_tenant_id") else {
                throw StoreError.invalidData("cluster with AAD enabled has no AAD tenant")
            }
            profile = AADProfile(adminGroupObjectIDs: try row.strings("aad_admin_group_ids"), tenantID: tenant,
                                 azureRBACEnabled: try row.bool("azure_rbac_enabled"))
        }
        return Cluster(tenantID: try row.string("tenant_id"), objectID: try row.string("object_id"), name: try row.string("name"),
                       server: try row.string("server"), certificateAuthorityPEM: try row.optionalString("certificate_authority_pem"),
                       aadProfile: profile, rbacEnabled: try row.bool("rbac_enabled"),
                       localAccountsDisabled: try row.bool("local_accounts_disabled"),
                       localAccountCA: LocalAccountCA(certificatePEM: try row.string("local_ca_certificate_pem"),
                                                      privateKeyPEM: try row.string("local_ca_private_key_pem")),
                       webhookTokenHash: try row.optionalBytes("webhook_token_hash"),
                       audience: try row.optionalString("audience"),
                       createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}

extension SQLiteIdentityStore: RoleAssignmentStore {
    public func createRoleAssignment(_ assignment: RoleAssignment) async throws {
        try await write { db in
            guard try Self.fetchCluster(tenantID: assignment.tenantID, objectID: assignment.clusterObjectID, db) != nil else {
                throw StoreError.notFound("no cluster \(assignment.clusterObjectID) in tenant \(assignment.tenantID)")
            }
            try db.execute(sql: """
                INSERT INTO role_assignments (tenant_id, id, role_definition_id, principal_id, principal_type,
                    cluster_object_id, namespace, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [assignment.tenantID, assignment.id, assignment.roleDefinitionID, assignment.principalID,
                                 assignment.principalType.rawValue, assignment.clusterObjectID, assignment.namespace ?? "",
                                 SQLiteValues.milliseconds(assignment.createdAt)])
        }
    }

    public func roleAssignment(tenantID: String, id: String) async throws -> RoleAssignment? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM role_assignments WHERE tenant_id = ? AND id = ?",
                             arguments: [tenantID, id]).map(Self.roleAssignment(from:))
        }
    }

    public func listRoleAssignments(tenantID: String) async throws -> [RoleAssignment] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM role_assignments WHERE tenant_id = ? ORDER BY created_at, id",
                             arguments: [tenantID]).map(Self.roleAssignment(from:))
        }
    }

    public func listRoleAssignments(tenantID: String, clusterObjectID: String) async throws -> [RoleAssignment] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM role_assignments WHERE tenant_id = ? AND cluster_object_id = ? ORDER BY created_at, id
                """, arguments: [tenantID, clusterObjectID]).map(Self.roleAssignment(from:))
        }
    }

    public func deleteRoleAssignment(tenantID: String, id: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM role_assignments WHERE tenant_id = ? AND id = ?", arguments: [tenantID, id])
            guard db.changesCount > 0 else { throw StoreError.notFound("no role assignment \(id) in tenant \(tenantID)") }
        }
    }

    static func roleAssignment(from row: Row) throws -> RoleAssignment {
        let namespace = try row.string("namespace")
        return RoleAssignment(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                              roleDefinitionID: try row.string("role_definition_id"), principalID: try row.string("principal_id"),
                              principalType: try row.rawValue("principal_type", as: RoleAssignment.PrincipalType.self),
                              clusterObjectID: try row.string("cluster_object_id"),
                              namespace: namespace.isEmpty ? nil : namespace, createdAt: try row.date("created_at"))
    }
}
