/// Migration "v5-sign-in-log": the sign-in log, and the instant before which a user's sign-ins
/// no longer count (`signInSessionsValidFromDateTime`).
///
/// A sign-in record is kept whole as JSON (`record`, Graph's shape); the columns beside it are
/// what the log is filtered and ordered by. Not directory data: no version triggers.
extension SQLiteMigrations {
    static let v5SignInLog = """
        ALTER TABLE users ADD COLUMN sign_in_sessions_valid_from INTEGER;

        CREATE TABLE sign_ins (
            id TEXT NOT NULL PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            user_id TEXT,
            user_principal_name TEXT,
            app_id TEXT,
            error_code INTEGER NOT NULL,
            conditional_access_status TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            record TEXT NOT NULL
        );
        CREATE INDEX sign_ins_by_tenant_time ON sign_ins (tenant_id, created_at DESC, id DESC);
        CREATE INDEX sign_ins_by_time ON sign_ins (created_at);
        CREATE INDEX sign_ins_by_correlation ON sign_ins (correlation_id);
        """
}
