/// The schema, as an append-only list of migrations. Never edit a migration that has shipped:
/// add "v2", "v3", ... so an existing database moves forward step by step.
///
/// Migrations run in one transaction that first takes an advisory lock named after the schema
/// (`pg_advisory_xact_lock`), so several `kubeid serve` instances starting at the same moment
/// queue up: the first applies what is pending, the others find nothing left to do. DDL is
/// transactional in PostgreSQL, so a failing migration leaves no half-made schema behind.
///
/// Conventions: dates are `timestamptz` (UTC instants, kept to the millisecond by the store);
/// string lists are `text[]`; byte strings are `bytea`; every text column is `COLLATE "C"` so
/// ordering and equality compare code points, as SQLite's BINARY does. Names unique "ignoring
/// case" are unique on `lower(column)`, which under the C collation folds ASCII letters only,
/// exactly like SQLite's NOCASE. Uniqueness rules of the store contract are constraints here,
/// so they hold across instances without a read-then-write race.
enum PostgresMigrations {
    struct Migration: Sendable {
        let id: String
        let statements: @Sendable (_ schema: String) -> [String]
    }

    /// Tables whose writes change ``DirectoryChangeFeed/directoryVersion()``: the directory and
    /// the credentials, read on the token endpoint's hot path and cached by the server.
    static let versionedTables = [
        "tenants", "applications", "application_identifier_uris", "service_principals", "groups",
        "group_memberships", "client_secrets", "certificates", "federated_credentials", "users",
    ]

    static let all: [Migration] = [
        Migration(id: "v1", statements: v1),
        Migration(id: "v2-clusters", statements: v2Clusters),
        Migration(id: "v3-sign-in-log", statements: v3SignInLog),
        Migration(id: "v4-graph-grants", statements: v4GraphGrants),
        Migration(id: "v5-cluster-audience", statements: v5ClusterAudience),
        Migration(id: "v6-application-code-without-pkce", statements: v6ApplicationCodeWithoutPKCE),
        Migration(id: "v7-settings", statements: v7Settings),
        Migration(id: "v8-privileged-access", statements: v8PrivilegedAccess),
    ]

    static var ids: [String] { all.map(\.id) }

    /// Bookkeeping, created (if missing) under the migration lock before anything else.
    static let ledger = """
        CREATE TABLE IF NOT EXISTS kubeid_migrations (
            seq integer GENERATED ALWAYS AS IDENTITY,
            id text COLLATE "C" NOT NULL PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """

    static func v1(schema: String) -> [String] {
        var statements = [
            """
            CREATE TABLE directory_version (
                id integer NOT NULL PRIMARY KEY CHECK (id = 1),
                version bigint NOT NULL
            )
            """,
            "INSERT INTO directory_version (id, version) VALUES (1, 0)",
            // Triggers (rather than code in the store) make a write by any instance, through any
            // code path, visible to one cheap SELECT. Qualified with the schema so the function
            // works whatever search_path the session that fires it has.
            """
            CREATE FUNCTION bump_directory_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE "\(schema)".directory_version SET version = version + 1 WHERE id = 1;
                RETURN NULL;
            END
            $$
            """,

            """
            CREATE TABLE tenants (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                name text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX tenants_name_nocase ON tenants (lower(name))",

            """
            CREATE TABLE applications (
                tenant_id text COLLATE "C" NOT NULL,
                app_id text COLLATE "C" NOT NULL,
                object_id text COLLATE "C" NOT NULL,
                display_name text COLLATE "C" NOT NULL,
                identifier_uris text[] NOT NULL,
                access_token_version integer NOT NULL,
                is_public_client boolean NOT NULL,
                exposed_scopes text[] NOT NULL,
                redirect_uris text[] NOT NULL,
                created_at timestamptz NOT NULL,
                is_password_grant_enabled boolean NOT NULL DEFAULT false,
                PRIMARY KEY (tenant_id, app_id),
                UNIQUE (tenant_id, object_id)
            )
            """,
            "CREATE INDEX applications_by_display_name ON applications (tenant_id, display_name, app_id)",
            // One row per identifier URI, so the resource lookup is an index probe and a URI
            // answers for at most one application per tenant. The array column keeps the order.
            """
            CREATE TABLE application_identifier_uris (
                tenant_id text COLLATE "C" NOT NULL,
                identifier_uri text COLLATE "C" NOT NULL,
                app_id text COLLATE "C" NOT NULL,
                PRIMARY KEY (tenant_id, identifier_uri),
                FOREIGN KEY (tenant_id, app_id) REFERENCES applications (tenant_id, app_id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX application_identifier_uris_by_app ON application_identifier_uris (tenant_id, app_id)",

            """
            CREATE TABLE service_principals (
                tenant_id text COLLATE "C" NOT NULL,
                object_id text COLLATE "C" NOT NULL,
                app_id text COLLATE "C" NOT NULL,
                display_name text COLLATE "C" NOT NULL,
                account_enabled boolean NOT NULL,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (tenant_id, object_id),
                UNIQUE (tenant_id, app_id),
                FOREIGN KEY (tenant_id, app_id) REFERENCES applications (tenant_id, app_id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX service_principals_by_display_name ON service_principals (tenant_id, display_name, app_id)",

            """
            CREATE TABLE groups (
                tenant_id text COLLATE "C" NOT NULL,
                object_id text COLLATE "C" NOT NULL,
                display_name text COLLATE "C" NOT NULL,
                mail_nickname text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (tenant_id, object_id)
            )
            """,
            "CREATE INDEX groups_by_display_name ON groups (tenant_id, display_name, object_id)",
            // The primary key serves "members of a group"; the second index serves "groups of a
            // member", which every token issuance walks.
            """
            CREATE TABLE group_memberships (
                tenant_id text COLLATE "C" NOT NULL,
                group_id text COLLATE "C" NOT NULL,
                member_id text COLLATE "C" NOT NULL,
                member_kind text COLLATE "C" NOT NULL,
                PRIMARY KEY (tenant_id, group_id, member_id),
                FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, object_id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX group_memberships_by_member ON group_memberships (tenant_id, member_id, group_id)",

            """
            CREATE TABLE client_secrets (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                tenant_id text COLLATE "C" NOT NULL,
                app_id text COLLATE "C" NOT NULL,
                secret_hash bytea NOT NULL,
                hint text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                FOREIGN KEY (tenant_id, app_id) REFERENCES applications (tenant_id, app_id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX client_secrets_by_app ON client_secrets (tenant_id, app_id, created_at)",

            """
            CREATE TABLE certificates (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                tenant_id text COLLATE "C" NOT NULL,
                app_id text COLLATE "C" NOT NULL,
                sha1_thumbprint text COLLATE "C" NOT NULL,
                sha256_thumbprint text COLLATE "C" NOT NULL,
                certificate_pem text COLLATE "C" NOT NULL,
                not_before timestamptz NOT NULL,
                not_after timestamptz NOT NULL,
                created_at timestamptz NOT NULL,
                UNIQUE (tenant_id, app_id, sha256_thumbprint),
                UNIQUE (tenant_id, app_id, sha1_thumbprint),
                FOREIGN KEY (tenant_id, app_id) REFERENCES applications (tenant_id, app_id) ON DELETE CASCADE
            )
            """,

            """
            CREATE TABLE federated_credentials (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                tenant_id text COLLATE "C" NOT NULL,
                app_id text COLLATE "C" NOT NULL,
                name text COLLATE "C" NOT NULL,
                issuer text COLLATE "C" NOT NULL,
                subject text COLLATE "C" NOT NULL,
                audiences text[] NOT NULL,
                created_at timestamptz NOT NULL,
                UNIQUE (tenant_id, app_id, name),
                UNIQUE (tenant_id, app_id, issuer, subject),
                FOREIGN KEY (tenant_id, app_id) REFERENCES applications (tenant_id, app_id) ON DELETE CASCADE
            )
            """,

            """
            CREATE TABLE users (
                tenant_id text COLLATE "C" NOT NULL,
                object_id text COLLATE "C" NOT NULL,
                user_principal_name text COLLATE "C" NOT NULL,
                display_name text COLLATE "C" NOT NULL,
                given_name text COLLATE "C",
                family_name text COLLATE "C",
                account_enabled boolean NOT NULL,
                password_hash text COLLATE "C",
                totp_secret bytea,
                totp_enrolled_at timestamptz,
                totp_last_accepted_step bigint,
                created_at timestamptz NOT NULL,
                password_changed_at timestamptz,
                PRIMARY KEY (tenant_id, object_id),
                CHECK ((totp_secret IS NULL) = (totp_enrolled_at IS NULL))
            )
            """,
            "CREATE UNIQUE INDEX users_upn_nocase ON users (tenant_id, lower(user_principal_name))",

            // `seq` keeps insertion order for keys created in the same millisecond ("oldest first").
            """
            CREATE TABLE signing_keys (
                key_id text COLLATE "C" NOT NULL PRIMARY KEY,
                seq bigint GENERATED ALWAYS AS IDENTITY,
                algorithm text COLLATE "C" NOT NULL,
                private_key_pem text COLLATE "C" NOT NULL,
                certificate_pem text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                activated_at timestamptz,
                retired_at timestamptz,
                remove_after timestamptz
            )
            """,
            // At most one active key, enforced by the schema as a last line of defence behind the
            // compare-and-swap in rotateSigningKey.
            """
            CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((true))
                WHERE activated_at IS NOT NULL AND retired_at IS NULL
            """,
            "CREATE INDEX signing_keys_by_removal ON signing_keys (remove_after) WHERE remove_after IS NOT NULL",

            """
            CREATE TABLE replay_entries (
                namespace text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                expires_at timestamptz NOT NULL,
                PRIMARY KEY (namespace, id)
            )
            """,
            "CREATE INDEX replay_entries_by_expiry ON replay_entries (expires_at)",

            // No unique constraint on user_code: a code may be drawn again once the earlier
            // authorization has expired (createDeviceAuthorization checks live codes). `seq` breaks
            // ties in "newest first" by insertion order.
            """
            CREATE TABLE device_authorizations (
                device_code_hash bytea NOT NULL PRIMARY KEY,
                seq bigint GENERATED ALWAYS AS IDENTITY,
                user_code text COLLATE "C" NOT NULL,
                tenant_id text COLLATE "C" NOT NULL,
                client_id text COLLATE "C" NOT NULL,
                scope text COLLATE "C" NOT NULL,
                resource text COLLATE "C" NOT NULL,
                endpoint_version text COLLATE "C" NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                interval_seconds integer NOT NULL,
                last_polled_at timestamptz,
                state text COLLATE "C" NOT NULL,
                user_object_id text COLLATE "C",
                authenticated_at timestamptz,
                authentication_methods text[] NOT NULL,
                request_address text COLLATE "C" NOT NULL,
                correlation_id text COLLATE "C"
            )
            """,
            "CREATE INDEX device_authorizations_by_user_code ON device_authorizations (user_code, created_at)",
            "CREATE INDEX device_authorizations_by_expiry ON device_authorizations (expires_at)",

            """
            CREATE TABLE authorization_codes (
                code_hash bytea NOT NULL PRIMARY KEY,
                tenant_id text COLLATE "C" NOT NULL,
                client_id text COLLATE "C" NOT NULL,
                redirect_uri text COLLATE "C" NOT NULL,
                scope text COLLATE "C" NOT NULL,
                resource text COLLATE "C" NOT NULL,
                endpoint_version text COLLATE "C" NOT NULL,
                code_challenge text COLLATE "C",
                code_challenge_method text COLLATE "C",
                nonce text COLLATE "C",
                user_object_id text COLLATE "C" NOT NULL,
                authenticated_at timestamptz NOT NULL,
                authentication_methods text[] NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                redeemed_at timestamptz,
                issued_refresh_token_family_id text COLLATE "C",
                client_address text COLLATE "C" NOT NULL
            )
            """,
            "CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at)",

            """
            CREATE TABLE refresh_tokens (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                token_hash bytea NOT NULL UNIQUE,
                family_id text COLLATE "C" NOT NULL,
                tenant_id text COLLATE "C" NOT NULL,
                client_id text COLLATE "C" NOT NULL,
                user_object_id text COLLATE "C" NOT NULL,
                scope text COLLATE "C" NOT NULL,
                authenticated_at timestamptz NOT NULL,
                authentication_methods text[] NOT NULL,
                created_at timestamptz NOT NULL,
                last_used_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                state text COLLATE "C" NOT NULL,
                rotated_at timestamptz,
                successor_id text COLLATE "C"
            )
            """,
            "CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id)",
            "CREATE INDEX refresh_tokens_by_user ON refresh_tokens (tenant_id, user_object_id, created_at)",
            "CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at)",

            """
            CREATE TABLE rate_limits (
                key text COLLATE "C" NOT NULL PRIMARY KEY,
                count integer NOT NULL,
                window_start timestamptz NOT NULL,
                locked_until timestamptz,
                lockouts integer NOT NULL,
                expires_at timestamptz NOT NULL
            )
            """,
            "CREATE INDEX rate_limits_by_expiry ON rate_limits (expires_at)",

            """
            CREATE TABLE audit_events (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                time timestamptz NOT NULL,
                tenant_id text COLLATE "C",
                kind text COLLATE "C" NOT NULL,
                actor text COLLATE "C",
                subject text COLLATE "C",
                client_id text COLLATE "C",
                source_address text COLLATE "C",
                outcome text COLLATE "C" NOT NULL,
                details jsonb NOT NULL
            )
            """,
            "CREATE INDEX audit_events_by_time ON audit_events (time, id)",
            "CREATE INDEX audit_events_by_tenant ON audit_events (tenant_id, time, id)",
        ]
        for table in versionedTables {
            statements.append("""
                CREATE TRIGGER \(table)_bumps_version AFTER INSERT OR UPDATE OR DELETE ON \(table)
                FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version()
                """)
        }
        return statements
    }
}
