import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: ApplicationStore {
    public func createApplication(_ application: Application, servicePrincipal: ServicePrincipal?,
                                  secrets: [ClientSecretCredential],
                                  certificates: [CertificateCredential]) async throws {
        var owners = secrets.map { ($0.tenantID, $0.appID) } + certificates.map { ($0.tenantID, $0.appID) }
        if let servicePrincipal { owners.append((servicePrincipal.tenantID, servicePrincipal.appID)) }
        Self.checkOwnership(owners, tenantID: application.tenantID, appID: application.appID)
        try await write { db in
            try Self.insert(application, db)
            if let servicePrincipal { try Self.insert(servicePrincipal, db) }
            for secret in secrets { try Self.insert(secret, db) }
            for certificate in certificates { try Self.insert(certificate, db) }
        }
    }

    public func application(tenantID: String, appID: String) async throws -> Application? {
        try await read { db in try Self.fetchApplication(tenantID: tenantID, appID: appID, db) }
    }

    public func application(tenantID: String, identifierURI: String) async throws -> Application? {
        try await read { db in
            try Row.fetchOne(db, sql: """
                SELECT applications.* FROM application_identifier_uris AS uris
                JOIN applications ON applications.tenant_id = uris.tenant_id AND applications.app_id = uris.app_id
                WHERE uris.tenant_id = ? AND uris.identifier_uri = ?
                """, arguments: [tenantID, identifierURI]).map(Self.application(from:))
        }
    }

    public func listApplications(tenantID: String) async throws -> [Application] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM applications WHERE tenant_id = ? ORDER BY display_name, app_id",
                             arguments: [tenantID]).map(Self.application(from:))
        }
    }

    @discardableResult
    public func updateApplication(tenantID: String, appID: String,
                                  _ change: @Sendable (inout Application) throws -> Void) async throws -> Application {
        // One IMMEDIATE transaction holds the write lock from the read to the write, so `change`
        // runs exactly once here and no other writer can interleave.
        try await write { db in
            guard let old = try Self.fetchApplication(tenantID: tenantID, appID: appID, db) else {
                throw StoreError.notFound("no application \(appID) in tenant \(tenantID)")
            }
            var new = old
            try change(&new)
            new.tenantID = old.tenantID
            new.appID = old.appID
            guard new != old else { return old }
            try db.execute(sql: """
                UPDATE applications SET object_id = ?, display_name = ?, identifier_uris = ?,
                    access_token_version = ?, is_public_client = ?, exposed_scopes = ?, redirect_uris = ?,
                    created_at = ?, is_password_grant_enabled = ?, allows_code_without_pkce = ?
                WHERE tenant_id = ? AND app_id = ?
                """, arguments: [new.objectID, new.displayName, try SQLiteValues.json(new.identifierURIs),
                                 new.accessTokenVersion, new.isPublicClient, try SQLiteValues.json(new.exposedScopes),
                                 try SQLiteValues.json(new.redirectURIs), SQLiteValues.milliseconds(new.createdAt),
                                 new.isPasswordGrantEnabled, new.allowsCodeWithoutPKCE, tenantID, appID])
            if new.identifierURIs != old.identifierURIs {
                try db.execute(sql: "DELETE FROM application_identifier_uris WHERE tenant_id = ? AND app_id = ?",
                               arguments: [tenantID, appID])
                try Self.insertIdentifierURIs(of: new, db)
            }
            return new
        }
    }

    public func servicePrincipal(tenantID: String, appID: String) async throws -> ServicePrincipal? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM service_principals WHERE tenant_id = ? AND app_id = ?",
                             arguments: [tenantID, appID]).map(Self.servicePrincipal(from:))
        }
    }

    public func servicePrincipal(tenantID: String, objectID: String) async throws -> ServicePrincipal? {
        try await read { db in try Self.fetchServicePrincipal(tenantID: tenantID, objectID: objectID, db) }
    }

    public func listServicePrincipals(tenantID: String) async throws -> [ServicePrincipal] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM service_principals WHERE tenant_id = ? ORDER BY display_name, app_id
                """, arguments: [tenantID]).map(Self.servicePrincipal(from:))
        }
    }

    @discardableResult
    public func updateServicePrincipal(tenantID: String, objectID: String,
                                       _ change: @Sendable (inout ServicePrincipal) throws -> Void) async throws -> ServicePrincipal {
        // One IMMEDIATE transaction from the read to the write, as in updateApplication.
        try await write { db in
            guard let old = try Self.fetchServicePrincipal(tenantID: tenantID, objectID: objectID, db) else {
                throw StoreError.notFound("no service principal \(objectID) in tenant \(tenantID)")
            }
            var new = old
            try change(&new)
            new.tenantID = old.tenantID
            new.objectID = old.objectID
            new.appID = old.appID
            new.createdAt = old.createdAt
            guard new != old else { return old }
            try db.execute(sql: """
                UPDATE service_principals SET display_name = ?, account_enabled = ? WHERE tenant_id = ? AND object_id = ?
                """, arguments: [new.displayName, new.accountEnabled, tenantID, objectID])
            return new
        }
    }

    public func deleteApplication(tenantID: String, appID: String) async throws {
        try await write { db in
            // Read before the delete: the principal goes with the application (ON DELETE CASCADE).
            let principalID = try String.fetchOne(db, sql: """
                SELECT object_id FROM service_principals WHERE tenant_id = ? AND app_id = ?
                """, arguments: [tenantID, appID])
            // The principal, identifier URIs and every credential go with it (ON DELETE CASCADE).
            try db.execute(sql: "DELETE FROM applications WHERE tenant_id = ? AND app_id = ?", arguments: [tenantID, appID])
            guard db.changesCount > 0 else {
                throw StoreError.notFound("no application \(appID) in tenant \(tenantID)")
            }
            guard let principalID else { return }
            // The rows naming the principal have no foreign key to it (a member or principal may
            // be of three kinds), so they go here. Only rows of kind service principal, except
            // the assignments of its own app roles, which name it as the resource.
            try db.execute(sql: """
                DELETE FROM group_memberships WHERE tenant_id = ? AND member_id = ? AND member_kind = ?
                """, arguments: [tenantID, principalID, GroupMembership.MemberKind.servicePrincipal.rawValue])
            try db.execute(sql: """
                DELETE FROM role_assignments WHERE tenant_id = ? AND principal_id = ? AND principal_type = ?
                """, arguments: [tenantID, principalID, RoleAssignment.PrincipalType.servicePrincipal.rawValue])
            try db.execute(sql: """
                DELETE FROM app_role_assignments
                WHERE tenant_id = ? AND ((principal_id = ? AND principal_kind = ?) OR resource_id = ?)
                """, arguments: [tenantID, principalID, AppRoleAssignment.PrincipalKind.servicePrincipal.rawValue,
                                 principalID])
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

    static func fetchApplication(tenantID: String, appID: String, _ db: Database) throws -> Application? {
        try Row.fetchOne(db, sql: "SELECT * FROM applications WHERE tenant_id = ? AND app_id = ?",
                         arguments: [tenantID, appID]).map(application(from:))
    }

    static func fetchServicePrincipal(tenantID: String, objectID: String, _ db: Database) throws -> ServicePrincipal? {
        try Row.fetchOne(db, sql: "SELECT * FROM service_principals WHERE tenant_id = ? AND object_id = ?",
                         arguments: [tenantID, objectID]).map(servicePrincipal(from:))
    }

    static func insert(_ application: Application, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO applications (tenant_id, app_id, object_id, display_name, identifier_uris,
                access_token_version, is_public_client, exposed_scopes, redirect_uris, created_at,
                is_password_grant_enabled, allows_code_without_pkce)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [application.tenantID, application.appID, application.objectID, application.displayName,
                             try SQLiteValues.json(application.identifierURIs), application.accessTokenVersion,
                             application.isPublicClient, try SQLiteValues.json(application.exposedScopes),
                             try SQLiteValues.json(application.redirectURIs),
                             SQLiteValues.milliseconds(application.createdAt), application.isPasswordGrantEnabled,
                             application.allowsCodeWithoutPKCE])
        try insertIdentifierURIs(of: application, db)
    }

    /// A URI listed twice by the same app is one row; a URI another app of the tenant answers to
    /// fails the primary key (`alreadyExists`).
    static func insertIdentifierURIs(of application: Application, _ db: Database) throws {
        var seen = Set<String>()
        for uri in application.identifierURIs where seen.insert(uri).inserted {
            try db.execute(sql: """
                INSERT INTO application_identifier_uris (tenant_id, identifier_uri, app_id) VALUES (?, ?, ?)
                """, arguments: [application.tenantID, uri, application.appID])
        }
    }

    static func insert(_ principal: ServicePrincipal, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO service_principals (tenant_id, object_id, app_id, display_name, account_enabled, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [principal.tenantID, principal.objectID, principal.appID, principal.displayName,
                             principal.accountEnabled, SQLiteValues.milliseconds(principal.createdAt)])
    }

    static func application(from row: Row) throws -> Application {
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

    static func servicePrincipal(from row: Row) throws -> ServicePrincipal {
        ServicePrincipal(tenantID: try row.string("tenant_id"), objectID: try row.string("object_id"),
                         appID: try row.string("app_id"), displayName: try row.string("display_name"),
                         accountEnabled: try row.bool("account_enabled"), createdAt: try row.date("created_at"))
    }
}
