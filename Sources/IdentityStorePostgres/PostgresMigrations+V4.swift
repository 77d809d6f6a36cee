/// Migration "v4-graph-grants": application permissions (app role assignments), directory roles,
/// and a group's free-text `description`.
///
/// Both new tables are directory data (token claims `roles` and `wids` come from them), so both
/// get the statement-level version trigger; `groups` has its trigger from "v1". Neither table has
/// a foreign key: a principal may be a user, a group or a service principal, and the store
/// contract leaves checking that principals, resources and roles exist to the domain. The deletes
/// of users, groups and applications remove the rows naming them in the same transaction instead.
///
/// One principal holds an app role of a resource, and a directory role, at most once (unique
/// constraints). The indexes serve the lookups by principal (every token issuance) and by
/// resource, in `createdAt` order.
extension PostgresMigrations {
    static func v4GraphGrants(schema: String) -> [String] {
        [
            #"ALTER TABLE groups ADD COLUMN description text COLLATE "C""#,
            """
            CREATE TABLE app_role_assignments (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                tenant_id text COLLATE "C" NOT NULL,
                principal_id text COLLATE "C" NOT NULL,
                principal_kind text COLLATE "C" NOT NULL,
                resource_id text COLLATE "C" NOT NULL,
                app_role_id text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                UNIQUE (tenant_id, principal_id, resource_id, app_role_id)
            )
            """,
            "CREATE INDEX app_role_assignments_by_principal ON app_role_assignments (tenant_id, principal_id, created_at, id)",
            "CREATE INDEX app_role_assignments_by_resource ON app_role_assignments (tenant_id, resource_id, created_at, id)",
            """
            CREATE TABLE directory_role_assignments (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                tenant_id text COLLATE "C" NOT NULL,
                role_template_id text COLLATE "C" NOT NULL,
                principal_id text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                UNIQUE (tenant_id, principal_id, role_template_id)
            )
            """,
            "CREATE INDEX directory_role_assignments_by_time ON directory_role_assignments (tenant_id, created_at, id)",
        ] + ["app_role_assignments", "directory_role_assignments"].map { table in
            """
            CREATE TRIGGER \(table)_bumps_version AFTER INSERT OR UPDATE OR DELETE ON \(table)
            FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version()
            """
        }
    }
}
