/// Migration "v3-sign-in-log": the sign-in log, and the instant before which a user's sign-ins
/// no longer count (`signInSessionsValidFromDateTime`). A record is kept whole as JSON (Graph's
/// shape) beside the columns it is filtered and ordered by. Not directory data: no trigger.
extension PostgresMigrations {
    static func v3SignInLog(schema: String) -> [String] {
        [
            "ALTER TABLE users ADD COLUMN sign_in_sessions_valid_from timestamptz",
            """
            CREATE TABLE sign_ins (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                tenant_id text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                user_id text COLLATE "C",
                user_principal_name text COLLATE "C",
                app_id text COLLATE "C",
                error_code integer NOT NULL,
                conditional_access_status text COLLATE "C" NOT NULL,
                correlation_id text COLLATE "C" NOT NULL,
                record text COLLATE "C" NOT NULL
            )
            """,
            "CREATE INDEX sign_ins_by_tenant_time ON sign_ins (tenant_id, created_at DESC, id DESC)",
            "CREATE INDEX sign_ins_by_time ON sign_ins (created_at)",
            "CREATE INDEX sign_ins_by_correlation ON sign_ins (correlation_id)",
        ]
    }
}
