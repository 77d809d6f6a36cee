/// Migration "v2": users and the sign-in flows (device authorizations, authorization codes,
/// refresh tokens, rate limits) and the audit trail. Same conventions as "v1".
extension SQLiteMigrations {
    /// Users are directory data (token claims and the server's cache read them), so their writes
    /// move ``DirectoryChangeFeed/directoryVersion()``. The flow tables and the audit trail are
    /// written on every sign-in, poll and refresh and must not.
    static let v2VersionedTables = ["users"]

    static let v2Schema = """
        -- The UPN is unique per tenant ignoring (ASCII) case through the column's NOCASE
        -- collation, which the unique index, the lookup and the ORDER BY all use. Membership
        -- edges name users without a foreign key (a member id may be a user, a group or a
        -- service principal); deleteUser removes them.
        CREATE TABLE users (
            tenant_id TEXT NOT NULL,
            object_id TEXT NOT NULL,
            user_principal_name TEXT NOT NULL COLLATE NOCASE,
            display_name TEXT NOT NULL,
            given_name TEXT,
            family_name TEXT,
            account_enabled INTEGER NOT NULL,
            password_hash TEXT,
            totp_secret BLOB,
            totp_enrolled_at INTEGER,
            totp_last_accepted_step INTEGER,
            created_at INTEGER NOT NULL,
            password_changed_at INTEGER,
            PRIMARY KEY (tenant_id, object_id),
            UNIQUE (tenant_id, user_principal_name),
            CHECK ((totp_secret IS NULL) = (totp_enrolled_at IS NULL))
        );

        -- No UNIQUE on user_code: a code may be drawn again once the earlier authorization has
        -- expired, so createDeviceAuthorization checks live codes in its write transaction.
        -- The index serves that check and the newest-first lookup by user code.
        CREATE TABLE device_authorizations (
            device_code_hash BLOB NOT NULL PRIMARY KEY,
            user_code TEXT NOT NULL,
            tenant_id TEXT NOT NULL,
            client_id TEXT NOT NULL,
            scope TEXT NOT NULL,
            resource TEXT NOT NULL,
            endpoint_version TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            interval_seconds INTEGER NOT NULL,
            last_polled_at INTEGER,
            state TEXT NOT NULL,
            user_object_id TEXT,
            authenticated_at INTEGER,
            authentication_methods TEXT NOT NULL,
            request_address TEXT NOT NULL,
            correlation_id TEXT
        );
        CREATE INDEX device_authorizations_by_user_code ON device_authorizations (user_code, created_at);
        CREATE INDEX device_authorizations_by_expiry ON device_authorizations (expires_at);

        CREATE TABLE authorization_codes (
            code_hash BLOB NOT NULL PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            client_id TEXT NOT NULL,
            redirect_uri TEXT NOT NULL,
            scope TEXT NOT NULL,
            resource TEXT NOT NULL,
            endpoint_version TEXT NOT NULL,
            code_challenge TEXT,
            code_challenge_method TEXT,
            nonce TEXT,
            user_object_id TEXT NOT NULL,
            authenticated_at INTEGER NOT NULL,
            authentication_methods TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            redeemed_at INTEGER,
            issued_refresh_token_family_id TEXT,
            client_address TEXT NOT NULL
        );
        CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at);

        CREATE TABLE refresh_tokens (
            id TEXT NOT NULL PRIMARY KEY,
            token_hash BLOB NOT NULL UNIQUE,
            family_id TEXT NOT NULL,
            tenant_id TEXT NOT NULL,
            client_id TEXT NOT NULL,
            user_object_id TEXT NOT NULL,
            scope TEXT NOT NULL,
            authenticated_at INTEGER NOT NULL,
            authentication_methods TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_used_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            state TEXT NOT NULL,
            rotated_at INTEGER,
            successor_id TEXT
        );
        CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
        CREATE INDEX refresh_tokens_by_user ON refresh_tokens (tenant_id, user_object_id, created_at);
        CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

        CREATE TABLE rate_limits (
            "key" TEXT NOT NULL PRIMARY KEY,
            count INTEGER NOT NULL,
            window_start INTEGER NOT NULL,
            locked_until INTEGER,
            lockouts INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        );
        CREATE INDEX rate_limits_by_expiry ON rate_limits (expires_at);

        -- Queries read a time range oldest first, ties by id, optionally for one tenant.
        CREATE TABLE audit_events (
            id TEXT NOT NULL PRIMARY KEY,
            time INTEGER NOT NULL,
            tenant_id TEXT,
            kind TEXT NOT NULL,
            actor TEXT,
            subject TEXT,
            client_id TEXT,
            source_address TEXT,
            outcome TEXT NOT NULL,
            details TEXT NOT NULL
        );
        CREATE INDEX audit_events_by_time ON audit_events (time, id);
        CREATE INDEX audit_events_by_tenant ON audit_events (tenant_id, time, id);
        """
}
