/// Migration "v4-clusters": registered clusters and their role assignments (directory data, so
/// both tables get the version triggers).
///
/// A cluster name is unique per tenant ignoring ASCII case (`COLLATE NOCASE`). Assignments point
/// at the cluster's object id and go with it (`ON DELETE CASCADE`); the cluster scope is the
/// empty namespace, so the uniqueness of (principal, role, scope) is a plain UNIQUE constraint.
extension SQLiteMigrations {
    static let v4VersionedTables = ["clusters", "role_assignments"]

    static let v4Clusters = """
        CREATE TABLE clusters (
            tenant_id TEXT NOT NULL,
            object_id TEXT NOT NULL,
            name TEXT NOT NULL COLLATE NOCASE,
            server TEXT NOT NULL,
            certificate_authority_pem TEXT,
            aad_enabled INTEGER NOT NULL,
            aad_tenant_id TEXT,
            aad_admin_group_ids TEXT NOT NULL,
            azure_rbac_enabled INTEGER NOT NULL,
            rbac_enabled INTEGER NOT NULL,
            local_accounts_disabled INTEGER NOT NULL,
            local_ca_certificate_pem TEXT NOT NULL,
            local_ca_private_key_pem TEXT NOT NULL,
            webhook_token_hash BLOB,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, object_id),
            UNIQUE (tenant_id, name)
        );

        CREATE TABLE role_assignments (
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            role_definition_id TEXT NOT NULL,
            principal_id TEXT NOT NULL,
            principal_type TEXT NOT NULL,
            cluster_object_id TEXT NOT NULL,
            namespace TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, cluster_object_id, namespace, principal_id, role_definition_id),
            FOREIGN KEY (tenant_id, cluster_object_id) REFERENCES clusters (tenant_id, object_id) ON DELETE CASCADE
        );
        CREATE INDEX role_assignments_by_time ON role_assignments (tenant_id, created_at, id);
        """
}
