internal import GRDB

/// The schema, as an append-only list of migrations. Never edit a migration that has shipped:
/// add "v2", "v3", ... so an existing database moves forward step by step.
///
/// Conventions: dates are INTEGER epoch milliseconds (UTC); string lists are JSON text; byte
/// strings are BLOBs. Uniqueness rules of the store contract are UNIQUE constraints here, so they
/// hold across processes without a read-then-write race.
enum SQLiteMigrations {
    /// Tables created by "v1" whose writes change ``DirectoryChangeFeed/directoryVersion()``: the
    /// directory and the credentials, read on the token endpoint's hot path and cached by the
    /// server. Each migration triggers only its own tables (see ``v2VersionedTables``).
    static let versionedTables = [
        "tenants", "applications", "application_identifier_uris", "service_principals", "groups",
        "group_memberships", "client_secrets", "certificates", "federated_credentials",
    ]

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1Schema)
            for table in versionedTables {
                try db.execute(sql: versionTriggers(for: table))
            }
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: v2Schema)
            for table in v2VersionedTables {
                try db.execute(sql: versionTriggers(for: table))
            }
        }
        migrator.registerMigration("v3-application-password-grant") { db in
            try db.execute(sql: v3ApplicationPasswordGrant)
        }
        migrator.registerMigration("v4-clusters") { db in
            try db.execute(sql: v4Clusters)
            for table in v4VersionedTables {
                try db.execute(sql: versionTriggers(for: table))
            }
        }
        migrator.registerMigration("v5-sign-in-log") { db in
            try db.execute(sql: v5SignInLog)
        }
        migrator.registerMigration("v6-graph-grants") { db in
            try db.execute(sql: v6GraphGrants)
            for table in v6VersionedTables {
                try db.execute(sql: versionTriggers(for: table))
            }
        }
        migrator.registerMigration("v7-cluster-audience") { db in
            try db.execute(sql: v7ClusterAudience)
        }
        migrator.registerMigration("v8-application-code-without-pkce") { db in
            try db.execute(sql: v8ApplicationCodeWithoutPKCE)
        }
        migrator.registerMigration("v9-settings") { db in
            try db.execute(sql: v9Settings)
        }
        migrator.registerMigration("v10-privileged-access") { db in
            try db.execute(sql: v10PrivilegedAccess)
        }
        return migrator
    }()

    /// Three triggers that bump the one-row version counter. Triggers (rather than code in the
    /// store) make a write by any process, through any code path, visible to a cheap SELECT.
    static func versionTriggers(for table: String) -> String {
        ["INSERT", "UPDATE", "DELETE"].map { event in
            """
            CREATE TRIGGER "\(table)_\(event.lowercased())_bumps_version" AFTER \(event) ON "\(table)"
            BEGIN
                UPDATE directory_version SET version = version + 1;
            END;
            """
        }.joined(separator: "\n")
    }

    static let v1Schema = """
        CREATE TABLE directory_version (
            id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        );
        INSERT INTO directory_version (id, version) VALUES (1, 0);

        CREATE TABLE tenants (
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE applications (
            tenant_id TEXT NOT NULL,
            app_id TEXT NOT NULL,
            object_id TEXT NOT NULL,
            display_name TEXT NOT NULL,
            identifier_uris TEXT NOT NULL,
            access_token_version INTEGER NOT NULL,
            is_public_client INTEGER NOT NULL,
            exposed_scopes TEXT NOT NULL,
            redirect_uris TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, app_id),
            UNIQUE (tenant_id, object_id)
        );
        CREATE INDEX applications_by_display_name ON applications (tenant_id, display_name, app_id);

        -- One row per identifier URI, so the resource lookup is an index probe and a URI answers
        -- for at most one application per tenant. The JSON column keeps the caller's order.
        CREATE TABLE application_identifier_uris (
            tenant_id TEXT NOT NULL,
            identifier_uri TEXT NOT NULL,
            app_id TEXT NOT NULL,
            PRIMARY KEY (tenant_id, identifier_uri),
            FOREIGN KEY (tenant_id, app_id) REFERENCES applications (tenant_id, app_id) ON DELETE CASCADE
        );
        CREATE INDEX application_identifier_uris_by_app ON application_identifier_uris (tenant_id, app_id);

        CREATE TABLE service_principals (
            tenant_id TEXT NOT NULL,
            object_id TEXT NOT NULL,
            app_id TEXT NOT NULL,
            display_name TEXT NOT NULL,
            account_enabled INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, object_id),
            UNIQUE (tenant_id, app_id),
            FOREIGN KEY (tenant_id, app_id) REFERENCES applications (tenant_id, app_id) ON DELETE CASCADE
        );
        CREATE INDEX service_principals_by_display_name ON service_principals (tenant_id, display_name, app_id);

        CREATE TABLE "groups" (
            tenant_id TEXT NOT NULL,
            object_id TEXT NOT NULL,
            display_name TEXT NOT NULL,
            mail_nickname TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, object_id)
        );
        CREATE INDEX groups_by_display_name ON "groups" (tenant_id, display_name, object_id);

        -- The primary key serves "members of a group"; the second index serves "groups of a
        -- member", which every token issuance walks.
        CREATE TABLE group_memberships (
            tenant_id TEXT NOT NULL,
            group_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            member_kind TEXT NOT NULL,
            PRIMARY KEY (tenant_id, group_id, member_id),
            FOREIGN KEY (tenant_id, group_id) REFERENCES "groups" (tenant_id, object_id) ON DELETE CASCADE
        );
        CREATE INDEX group_memberships_by_member ON group_memberships (tenant_id, member_id, group_id);

        CREATE TABLE client_secrets (
            id TEXT NOT NULL PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            app_id TEXT NOT NULL,
            secret_hash BLOB NOT NULL,
            hint TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            FOREIGN KEY (tenant_id, app_id) REFERENCES applications (tenant_id, app_id) ON DELETE CASCADE
        );
        CREATE INDEX client_secrets_by_app ON client_secrets (tenant_id, app_id, created_at);

        CREATE TABLE certificates (
            id TEXT NOT NULL PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            app_id TEXT NOT NULL,
            sha1_thumbprint TEXT NOT NULL,
            sha256_thumbprint TEXT NOT NULL,
            certificate_pem TEXT NOT NULL,
            not_before INTEGER NOT NULL,
            not_after INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (tenant_id, app_id, sha256_thumbprint),
            UNIQUE (tenant_id, app_id, sha1_thumbprint),
            FOREIGN KEY (tenant_id, app_id) REFERENCES applications (tenant_id, app_id) ON DELETE CASCADE
        );

        CREATE TABLE federated_credentials (
            id TEXT NOT NULL PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            app_id TEXT NOT NULL,
            name TEXT NOT NULL,
            issuer TEXT NOT NULL,
            subject TEXT NOT NULL,
            audiences TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (tenant_id, app_id, name),
            UNIQUE (tenant_id, app_id, issuer, subject),
            FOREIGN KEY (tenant_id, app_id) REFERENCES applications (tenant_id, app_id) ON DELETE CASCADE
        );

        CREATE TABLE signing_keys (
            key_id TEXT NOT NULL PRIMARY KEY,
            algorithm TEXT NOT NULL,
            private_key_pem TEXT NOT NULL,
            certificate_pem TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            activated_at INTEGER,
            retired_at INTEGER,
            remove_after INTEGER
        );
        -- At most one active key, enforced by the schema as a last line of defence behind the
        -- compare-and-swap in rotateSigningKey.
        CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((retired_at IS NULL))
            WHERE activated_at IS NOT NULL AND retired_at IS NULL;

        CREATE TABLE replay_entries (
            namespace TEXT NOT NULL,
            id TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (namespace, id)
        );
        CREATE INDEX replay_entries_by_expiry ON replay_entries (expires_at);
        """
}
