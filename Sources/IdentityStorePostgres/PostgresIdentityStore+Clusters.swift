import Foundation
public import IdentityCore
internal import Logging
internal import PostgresNIO

extension PostgresIdentityStore: ClusterStore {
    public func createCluster(_ cluster: Cluster) async throws {
        try await directoryTransaction { connection in
            try await connection.run("""
                INSERT INTO clusters (tenant_id, object_id, name, server, certificate_authority_pem, aad_enabled,
                    aad_tenant_id, aad_admin_group_ids, azure_rbac_enabled, rbac_enabled, local_accounts_disabled,
                    local_ca_certificate_pem, local_ca_private_key_pem, webhook_token_hash, audience, created_at, updated_at)
                VALUES (\(cluster.tenantID), \(cluster.objectID), \(cluster.name), \(cluster.server),
                    \(cluster.certificateAuthorityPEM), \(cluster.aadProfile != nil), \(cluster.aadProfile?.tenantID),
                    \(cluster.aadProfile?.adminGroupObjectIDs ?? []), \(cluster.aadProfile?.azureRBACEnabled ?? false),
                    \(cluster.rbacEnabled), \(cluster.localAccountsDisabled), \(cluster.localAccountCA.certificatePEM),
                    \(cluster.localAccountCA.privateKeyPEM), \(PostgresValues.bytes(cluster.webhookTokenHash)),
                    \(cluster.audience), \(PostgresValues.timestamp(cluster.createdAt)), \(PostgresValues.timestamp(cluster.updatedAt)))
                """, self.queryLogger)
        }
    }

    public func cluster(tenantID: String, name: String) async throws -> Cluster? {
        try await read { connection in
            try await connection.row("""
                SELECT * FROM clusters WHERE tenant_id = \(tenantID) AND lower(name) = lower(\(name)::text COLLATE "C")
                """, self.queryLogger).map(Self.cluster(from:))
        }
    }

    public func cluster(tenantID: String, objectID: String) async throws -> Cluster? {
        try await read { connection in
            try await Self.fetchCluster(tenantID: tenantID, objectID: objectID, lock: false, connection, self.queryLogger)
        }
    }

    public func listClusters(tenantID: String) async throws -> [Cluster] {
        try await read { connection in
            try await connection.rows("SELECT * FROM clusters WHERE tenant_id = \(tenantID) ORDER BY lower(name), object_id",
                                      self.queryLogger).map(Self.cluster(from:))
        }
    }

    @discardableResult
    public func updateCluster(tenantID: String, objectID: String,
                              _ change: @Sendable (inout Cluster) throws -> Void) async throws -> Cluster {
        try await withoutActuallyEscaping(change) { change in
            try await directoryTransaction { connection in
                guard let old = try await Self.fetchCluster(tenantID: tenantID, objectID: objectID, lock: true,
                                                            connection, self.queryLogger) else {
                    throw StoreError.notFound("no cluster \(objectID) in tenant \(tenantID)")
                }
                var new = old
                try change(&new)
                new.tenantID = old.tenantID
                new.objectID = old.objectID
                new.name = old.name
                new.createdAt = old.createdAt
                guard new != old else { return old }
                try await connection.run("""
                    UPDATE clusters SET server = \(new.server), certificate_authority_pem = \(new.certificateAuthorityPEM),
                        aad_enabled = \(new.aadProfile != nil), aad_tenant_id = \(new.aadProfile?.tenantID),
                        aad_admin_group_ids = \(new.aadProfile?.adminGroupObjectIDs ?? []),
                        azure_rbac_enabled = \(new.aadProfile?.azureRBACEnabled ?? false), rbac_enabled = \(new.rbacEnabled),
                        local_accounts_disabled = \(new.localAccountsDisabled),
                        local_ca_certificate_pem = \(new.localAccountCA.certificatePEM),
                        local_ca_private_key_pem = \(new.localAccountCA.privateKeyPEM),
                        webhook_token_hash = \(PostgresValues.bytes(new.webhookTokenHash)), audience = \(new.audience),
                        updated_at = \(PostgresValues.timestamp(new.updatedAt))
                    WHERE tenant_id = \(tenantID) AND object_id = \(objectID)
                    """, self.queryLogger)
                return new
            }
        }
    }

    public func deleteCluster(tenantID: String, objectID: String) async throws {
        try await directoryTransaction { connection in
            // Role assignments go with it (ON DELETE CASCADE), in the same transaction.
            let deleted = try await connection.changes("""
                DELETE FROM clusters WHERE tenant_id = \(tenantID) AND object_id = \(objectID) RETURNING 1
                """, self.queryLogger)
            guard deleted > 0 else { throw StoreError.notFound("no cluster \(objectID) in tenant \(tenantID)") }
        }
    }

    static func fetchCluster(tenantID: String, objectID: String, lock: Bool, _ connection: PostgresConnection,
                             _ logger: Logger) async throws -> Cluster? {
        let query: PostgresQuery = lock
            ? "SELECT * FROM clusters WHERE tenant_id = \(tenantID) AND object_id = \(objectID) FOR UPDATE"
            : "SELECT * FROM clusters WHERE tenant_id = \(tenantID) AND object_id = \(objectID)"
        return try await connection.row(query, logger).map(cluster(from:))
    }

    static func cluster(from row: PostgresColumns) throws -> Cluster {
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

extension PostgresIdentityStore: RoleAssignmentStore {
    public func createRoleAssignment(_ assignment: RoleAssignment) async throws {
        try await directoryTransaction { connection in
            // Checked explicitly (the foreign key would catch it too) for a precise reason; the
            // share lock keeps the cluster from disappearing before the insert.
            guard try await connection.row("""
                SELECT 1 AS present FROM clusters WHERE tenant_id = \(assignment.tenantID)
                    AND object_id = \(assignment.clusterObjectID) FOR KEY SHARE
                """, self.queryLogger) != nil else {
                throw StoreError.notFound("no cluster \(assignment.clusterObjectID) in tenant \(assignment.tenantID)")
            }
            try await connection.run("""
                INSERT INTO role_assignments (tenant_id, id, role_definition_id, principal_id, principal_type,
                    cluster_object_id, namespace, created_at)
                VALUES (\(assignment.tenantID), \(assignment.id), \(assignment.roleDefinitionID), \(assignment.principalID),
                    \(assignment.principalType.rawValue), \(assignment.clusterObjectID), \(assignment.namespace ?? ""),
                    \(PostgresValues.timestamp(assignment.createdAt)))
                """, self.queryLogger)
        }
    }

    public func roleAssignment(tenantID: String, id: String) async throws -> RoleAssignment? {
        try await read { connection in
            try await connection.row("SELECT * FROM role_assignments WHERE tenant_id = \(tenantID) AND id = \(id)",
                                     self.queryLogger).map(Self.roleAssignment(from:))
        }
    }

    public func listRoleAssignments(tenantID: String) async throws -> [RoleAssignment] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM role_assignments WHERE tenant_id = \(tenantID) ORDER BY created_at, id
                """, self.queryLogger).map(Self.roleAssignment(from:))
        }
    }

    public func listRoleAssignments(tenantID: String, clusterObjectID: String) async throws -> [RoleAssignment] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM role_assignments WHERE tenant_id = \(tenantID) AND cluster_object_id = \(clusterObjectID)
                ORDER BY created_at, id
                """, self.queryLogger).map(Self.roleAssignment(from:))
        }
    }

    public func deleteRoleAssignment(tenantID: String, id: String) async throws {
        try await directoryTransaction { connection in
            let deleted = try await connection.changes("""
                DELETE FROM role_assignments WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING 1
                """, self.queryLogger)
            guard deleted > 0 else { throw StoreError.notFound("no role assignment \(id) in tenant \(tenantID)") }
        }
    }

    static func roleAssignment(from row: PostgresColumns) throws -> RoleAssignment {
        let type = try row.string("principal_type")
        guard let principalType = RoleAssignment.PrincipalType(rawValue: type) else {
            throw StoreError.invalidData("unknown principal type \(type)")
        }
        let namespace = try row.string("namespace")
        return RoleAssignment(id: try row.string("id"), tenantID: try row.string("tenant_id"),
                              roleDefinitionID: try row.string("role_definition_id"), principalID: try row.string("principal_id"),
                              principalType: principalType, clusterObjectID: try row.string("cluster_object_id"),
                              namespace: namespace.isEmpty ? nil : namespace, createdAt: try row.date("created_at"))
    }
}
