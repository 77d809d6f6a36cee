/// Migration "v10-privileged-access": time-bound membership edges and PIM for groups.
///
/// `group_memberships` gains a window (`starts_at`, `ends_at`, NULL for open) and the schedule
/// that made the edge; its version triggers from "v1" fire for these columns too, so an
/// activation or an early end reaches the server's cache. PIM requests, schedules and policies
/// keep the whole value as JSON (`body`) beside the columns queried. A schedule's uniqueness per
/// kind, group, principal and access is a constraint, so two instances cannot both activate.
extension SQLiteMigrations {
    static let v10PrivilegedAccess = """
        ALTER TABLE group_memberships ADD COLUMN starts_at INTEGER;
        ALTER TABLE group_memberships ADD COLUMN ends_at INTEGER;
        ALTER TABLE group_memberships ADD COLUMN schedule_id TEXT;
        CREATE INDEX group_memberships_by_schedule ON group_memberships (schedule_id) WHERE schedule_id IS NOT NULL;

        CREATE TABLE privileged_access_policies (
            tenant_id TEXT NOT NULL,
            group_id TEXT NOT NULL,
            access TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (tenant_id, group_id, access),
            FOREIGN KEY (tenant_id, group_id) REFERENCES "groups" (tenant_id, object_id) ON DELETE CASCADE
        );

        CREATE TABLE privileged_access_requests (
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (tenant_id, id)
        );
        CREATE INDEX privileged_access_requests_by_kind ON privileged_access_requests (tenant_id, kind, created_at);

        CREATE TABLE privileged_access_schedules (
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            group_id TEXT NOT NULL,
            principal_id TEXT NOT NULL,
            access TEXT NOT NULL,
            starts_at INTEGER NOT NULL,
            ends_at INTEGER,
            body TEXT NOT NULL,
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, kind, group_id, principal_id, access),
            FOREIGN KEY (tenant_id, group_id) REFERENCES "groups" (tenant_id, object_id) ON DELETE CASCADE
        );
        """
}
