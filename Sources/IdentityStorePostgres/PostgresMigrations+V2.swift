/// Migration "v2-clusters": registered clusters and their role assignments. Both are directory
/// data, so both get the statement-level version trigger. A cluster name is unique per tenant
/// ignoring ASCII case (unique index on `lower(name)` under `COLLATE "C"`, as SQLite's NOCASE).
/// Assignments point at the cluster's object id and go with it (`ON DELETE CASCADE`); the
/// cluster scope is the empty namespace so (principal, role, scope) is a plain unique key.
extension PostgresMigrations {
    static func v2Clusters(schema: String) -> [String] {
        [
            """
            CREATE TABLE clusters (
                tenant_id text COLLATE "C" NOT NULL,
                object_id text COLLATE "C" NOT NULL,
                name text COLLATE "C" NOT NULL,
                server text COLLATE "C" NOT NULL,
                certificate_authority_pem text COLLATE "C",
                aad_enabled boolean NOT NULL,
                aad_tenant_id text COLLATE "C",
                aad_admin_group_ids text[] NOT NULL,
                azure_rbac_enabled boolean NOT NULL,
                rbac_enabled boolean NOT NULL,
                local_accounts_disabled boolean NOT NULL,
                local_ca_certificate_pem text COLLATE "C" NOT NULL,
                local_ca_private_key_pem text COLLATE "C" NOT NULL,
                webhook_token_hash bytea,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (tenant_id, object_id)
            )
            """,
            "CREATE UNIQUE INDEX clusters_name_nocase ON clusters (tenant_id, lower(name))",
            """
            CREATE TABLE role_assignments (
                tenant_id text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                role_definition_id text COLLATE "C" NOT NULL,
                principal_id text COLLATE "C" NOT NULL,
                principal_type text COLLATE "C" NOT NULL,
                cluster_object_id text COLLATE "C" NOT NULL,
                namespace text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (tenant_id, id),
                UNIQUE (tenant_id, cluster_object_id, namespace, principal_id, role_definition_id),
                FOREIGN KEY (tenant_id, cluster_object_id) REFERENCES clusters (tenant_id, object_id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX role_assignments_by_time ON role_assignments (tenant_id, created_at, id)",
        ] + ["clusters", "role_assignments"].map { table in
            """
            CREATE TRIGGER \(table)_bumps_version AFTER INSERT OR UPDATE OR DELETE ON \(table)
            FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version()
            """
        }
    }
}
