/// Migration "v8-privileged-access": time-bound membership edges and PIM for groups.
///
/// `group_memberships` gains a window (`starts_at`, `ends_at`, NULL for open) and the schedule
/// that made the edge; its version trigger from "v1" fires for these columns too. PIM requests,
/// schedules and policies keep the whole value as JSON text (`body`) beside the columns
/// queried. A schedule's uniqueness per kind, group, principal and access is a constraint, so
/// two instances cannot both activate.
extension PostgresMigrations {
    static func v8PrivilegedAccess(schema: String) -> [String] {
        [
            "ALTER TABLE group_memberships ADD COLUMN starts_at timestamptz",
            "ALTER TABLE group_memberships ADD COLUMN ends_at timestamptz",
            #"ALTER TABLE group_memberships ADD COLUMN schedule_id text COLLATE "C""#,
            "CREATE INDEX group_memberships_by_schedule ON group_memberships (schedule_id) WHERE schedule_id IS NOT NULL",
            """
            CREATE TABLE privileged_access_policies (
                tenant_id text COLLATE "C" NOT NULL,
                group_id text COLLATE "C" NOT NULL,
                access text COLLATE "C" NOT NULL,
                body text NOT NULL,
                PRIMARY KEY (tenant_id, group_id, access),
                FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, object_id) ON DELETE CASCADE
            )
            """,
            """
            CREATE TABLE privileged_access_requests (
                tenant_id text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                kind text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                status text COLLATE "C" NOT NULL,
                body text NOT NULL,
                PRIMARY KEY (tenant_id, id)
            )
            """,
            "CREATE INDEX privileged_access_requests_by_kind ON privileged_access_requests (tenant_id, kind, created_at)",
            """
            CREATE TABLE privileged_access_schedules (
                tenant_id text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                kind text COLLATE "C" NOT NULL,
                group_id text COLLATE "C" NOT NULL,
                principal_id text COLLATE "C" NOT NULL,
                access text COLLATE "C" NOT NULL,
                starts_at timestamptz NOT NULL,
                ends_at timestamptz,
                body text NOT NULL,
                PRIMARY KEY (tenant_id, id),
                UNIQUE (tenant_id, kind, group_id, principal_id, access),
                FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, object_id) ON DELETE CASCADE
            )
            """,
        ]
    }
}
