import Foundation
public import IdentityCore
internal import Logging
internal import PostgresNIO

extension PostgresIdentityStore: ApplicationStore {
    public func createApplication(_ application: Application, servicePrincipal: ServicePrincipal?,
                                  secrets: [ClientSecretCredential],
                                  certificates: [CertificateCredential]) async throws {
        var owners = secrets.map { ($0.tenantID, $0.appID) } + certificates.map { ($0.tenantID, $0.appID) }
        if let servicePrincipal { owners.append((servicePrincipal.tenantID, servicePrincipal.appID)) }
        Self.checkOwnership(owners, tenantID: application.tenantID, appID: application.appID)
        try await directoryTransaction { connection in
            try await Self.insert(application, connection, self.queryLogger)
            if let servicePrincipal { try await Self.insert(servicePrincipal, connection, self.queryLogger) }
            for secret in secrets { try await Self.insert(secret, connection, self.queryLogger) }
            for certificate in certificates { try await Self.insert(certificate, connection, self.queryLogger) }
        }
    }

    public func application(tenantID: String, appID: String) async throws -> Application? {
        try await read { connection in
            try await Self.fetchApplication(tenantID: tenantID, appID: appID, lock: false, connection, self.queryLogger)
        }
    }

    public func application(tenantID: String, identifierURI: String) async throws -> Application? {
        try await read { connection in
            try await connection.row("""
                SELECT applications.* FROM application_identifier_uris AS uris
                JOIN applications ON applications.tenant_id = uris.tenant_id AND applications.app_id = uris.app_id
                WHERE uris.tenant_id = \(tenantID) AND uris.identifier_uri = \(identifierURI)
                """, self.queryLogger).map(Self.application(from:))
        }
    }

    public func listApplications(tenantID: String) async throws -> [Application] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM applications WHERE tenant_id = \(tenantID) ORDER BY display_name, app_id
                """, self.queryLogger).map(Self.application(from:))
        }
    }

    @discardableResult
    public func updateApplication(tenantID: String, appID: String,
                                  _ change: @Sendable (inout Application) throws -> Void) async throws -> Application {
        // The row is locked (FOR UPDATE) from the read to the write, so no other writer can
        // interleave; `change` runs again only when the transaction is retried after a deadlock.
        try await withoutActuallyEscaping(change) { change in
            try await directoryTransaction { connection in
                guard let old = try await Self.fetchApplication(tenantID: tenantID, appID: appID, lock: true,
                                                                connection, self.queryLogger) else {
                    throw StoreError.notFound("no application \(appID) in tenant \(tenantID)")
                }
                var new = old
                try change(&new)
                new.tenantID = old.tenantID
                new.appID = old.appID
                guard new != old else { return old }
                try await connection.run("""
                    UPDATE applications SET object_id = \(new.objectID), display_name = \(new.displayName),
                        identifier_uris = \(new.identifierURIs), access_token_version = \(new.accessTokenVersion),
                        is_public_client = \(new.isPublicClient), exposed_scopes = \(new.exposedScopes),
                        redirect_uris = \(new.redirectURIs), created_at = \(PostgresValues.timestamp(new.createdAt)),
                        is_password_grant_enabled = \(new.isPasswordGrantEnabled),
                        allows_code_without_pkce = \(new.allowsCodeWithoutPKCE)
                    WHERE tenant_id = \(tenantID) AND app_id = \(appID)
                    """, self.queryLogger)
                if new.identifierURIs != old.identifierURIs {
                    try await connection.run("""
                        DELETE FROM application_identifier_uris WHERE tenant_id = \(tenantID) AND app_id = \(appID)
                        """, self.queryLogger)
                    try await Self.insertIdentifierURIs(of: new, connection, self.queryLogger)
                }
                return new
            }
        }
    }

    public func servicePrincipal(tenantID: String, appID: String) async throws -> ServicePrincipal? {
        try await read { connection in
            try await connection.row("""
                SELECT * FROM service_principals WHERE tenant_id = \(tenantID) AND app_id = \(appID)
                """, self.queryLogger).map(Self.servicePrincipal(from:))
        }
    }

    public func servicePrincipal(tenantID: String, objectID: String) async throws -> ServicePrincipal? {
        try await read { connection in
            try await Self.fetchServicePrincipal(tenantID: tenantID, objectID: objectID, lock: false, connection,
                                                 self.queryLogger)
        }
    }

    public func listServicePrincipals(tenantID: String) async throws -> [ServicePrincipal] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM service_principals WHERE tenant_id = \(tenantID) ORDER BY display_name, app_id
                """, self.queryLogger).map(Self.servicePrincipal(from:))
        }
    }

    @discardableResult
    public func updateServicePrincipal(tenantID: String, objectID: String,
                                       _ change: @Sendable (inout ServicePrincipal) throws -> Void) async throws -> ServicePrincipal {
        // Locked from the read to the write, as in updateApplication.
        try await withoutActuallyEscaping(change) { change in
            try await directoryTransaction { connection in
                guard let old = try await Self.fetchServicePrincipal(tenantID: tenantID, objectID: objectID, lock: true,
                                                                     connection, self.queryLogger) else {
                    throw StoreError.notFound("no service principal \(objectID) in tenant \(tenantID)")
                }
                var new = old
                try change(&new)
                new.tenantID = old.tenantID
                new.objectID = old.objectID
                new.appID = old.appID
                new.createdAt = old.createdAt
                guard new != old else { return old }
                try await connection.run("""
                    UPDATE service_principals SET display_name = \(new.displayName), account_enabled = \(new.accountEnabled)
                    WHERE tenant_id = \(tenantID) AND object_id = \(objectID)
                    """, self.queryLogger)
                return new
            }
        }
    }

    public func deleteApplication(tenantID: String, appID: String) async throws {
        try await directoryTransaction { connection in
            // Read before the delete: the principal goes with the application (ON DELETE CASCADE).
            let principalID = try await connection.row("""
                SELECT object_id FROM service_principals WHERE tenant_id = \(tenantID) AND app_id = \(appID)
                """, self.queryLogger)?.string("object_id")
            // The principal, identifier URIs and every credential go with it (ON DELETE CASCADE).
            let deleted = try await connection.changes("""
                DELETE FROM applications WHERE tenant_id = \(tenantID) AND app_id = \(appID) RETURNING 1
                """, self.queryLogger)
            guard deleted > 0 else { throw StoreError.notFound("no application \(appID) in tenant \(tenantID)") }
            guard let principalID else { return }
            // The rows naming the principal have no foreign key to it (a member or principal may
            // be of three kinds), so they go here. Only rows of kind service principal, except
            // the assignments of its own app roles, which name it as the resource.
            try await connection.run("""
                DELETE FROM group_memberships WHERE tenant_id = \(tenantID) AND member_id = \(principalID)
                    AND member_kind = \(GroupMembership.MemberKind.servicePrincipal.rawValue)
                """, self.queryLogger)
            try await connection.run("""
                DELETE FROM role_assignments WHERE tenant_id = \(tenantID) AND principal_id = \(principalID)
                    AND principal_type = \(RoleAssignment.PrincipalType.servicePrincipal.rawValue)
                """, self.queryLogger)
            try await connection.run("""
                DELETE FROM app_role_assignments WHERE tenant_id = \(tenantID)
                    AND ((principal_id = \(principalID)
                          AND principal_kind = \(AppRoleAssignment.PrincipalKind.servicePrincipal.rawValue))
                         OR resource_id = \(principalID))
                """, self.queryLogger)
        }
    }

    // MARK: Rows

    /// A principal or credential created with an application must belong to it; anything else is
    /// a bug in the caller, not a state of the database.
    static func checkOwnership(_ owners: [(String, String)], tenantID: String, appID: String) {
        for (ownerTenantID, ownerAppID) in owners {
            precondition(ownerTenantID == tenantID && ownerAppID == appID,
                         "a credential or service principal of another application")
        }
    }

    static func fetchApplication(tenantID: String, appID: String, lock: Bool, _ connection: PostgresConnection,
                                 _ logger: Logger) async throws -> Application? {
        let query: PostgresQuery = lock
            ? "SELECT * FROM applications WHERE tenant_id = \(tenantID) AND app_id = \(appID) FOR UPDATE"
            : "SELECT * FROM applications WHERE tenant_id = \(tenantID) AND app_id = \(appID)"
        return try await connection.row(query, logger).map(application(from:))
    }

    static func fetchServicePrincipal(tenantID: String, objectID: String, lock: Bool, _ connection: PostgresConnection,
                                      _ logger: Logger) async throws -> ServicePrincipal? {
        let query: PostgresQuery = lock
            ? "SELECT * FROM service_principals WHERE tenant_id = \(tenantID) AND object_id = \(objectID) FOR UPDATE"
            : "SELECT * FROM service_principals WHERE tenant_id = \(tenantID) AND object_id = \(objectID)"
        return try await connection.row(query, logger).map(servicePrincipal(from:))
    }

    static func insert(_ application: Application, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.run("""
            INSERT INTO applications (tenant_id, app_id, object_id, display_name, identifier_uris,
                access_token_version, is_public_client, exposed_scopes, redirect_uris, created_at,
                is_password_grant_enabled, allows_code_without_pkce)
            VALUES (\(application.tenantID), \(application.appID), \(application.objectID), \(application.displayName),
                \(application.identifierURIs), \(application.accessTokenVersion), \(application.isPublicClient),
                \(application.exposedScopes), \(application.redirectURIs), \(PostgresValues.timestamp(application.createdAt)),
                \(application.isPasswordGrantEnabled), \(application.allowsCodeWithoutPKCE))
            """, logger)
        try await insertIdentifierURIs(of: application, connection, logger)
    }

    /// A URI listed twice by the same app is one row; a URI another app of the tenant answers to
    /// fails the primary key (`alreadyExists`).
    static func insertIdentifierURIs(of application: Application, _ connection: PostgresConnection,
                                     _ logger: Logger) async throws {
        var seen = Set<String>()
        for uri in application.identifierURIs where seen.insert(uri).inserted {
            try await connection.run("""
                INSERT INTO application_identifier_uris (tenant_id, identifier_uri, app_id)
                VALUES (\(application.tenantID), \(uri), \(application.appID))
                """, logger)
        }
    }

    static func insert(_ principal: ServicePrincipal, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.run("""
            INSERT INTO service_principals (tenant_id, object_id, app_id, display_name, account_enabled, created_at)
            VALUES (\(principal.tenantID), \(principal.objectID), \(principal.appID), \(principal.displayName),
                \(principal.accountEnabled), \(PostgresValues.timestamp(principal.createdAt)))
            """, logger)
    }

    static func application(from row: PostgresColumns) throws -> Application {
        Application(tenantID: try row.string("tenant_id"), appID: try row.string("app_id"),
                    objectID: try row.string("object_id"), displayName: try row.string("display_name"),
                    identifierURIs: try row.strings("identifier_uris"),
                    accessTokenVersion: try row.int("access_token_version"),
                    isPublicClient: try row.bool("is_public_client"),
                    exposedScopes: try row.strings("exposed_scopes"), redirectURIs: try row.strings("redirect_uris"),
                    createdAt: try row.date("created_at"),
                    isPasswordGrantEnabled: try row.bool("is_password_grant_enabled"),
                    allowsCodeWithoutPKCE: try row.bool("allows_code_without_pkce"))
    }

    static func servicePrincipal(from row: PostgresColumns) throws -> ServicePrincipal {
        ServicePrincipal(tenantID: try row.string("tenant_id"), objectID: try row.string("object_id"),
                         appID: try row.string("app_id"), displayName: try row.string("display_name"),
                         accountEnabled: try row.bool("account_enabled"), createdAt: try row.date("created_at"))
    }
}
