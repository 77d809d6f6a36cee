import Foundation
public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: UserStore {
    public func createUser(_ user: User) async throws {
        try await write { db in try Self.insert(user, db) }
    }

    public func user(tenantID: String, objectID: String) async throws -> User? {
        try await read { db in try Self.fetchUser(tenantID: tenantID, objectID: objectID, db) }
    }

    public func user(tenantID: String, userPrincipalName: String) async throws -> User? {
        try await read { db in
            // The column's NOCASE collation makes this comparison ignore case (and use the unique index).
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE tenant_id = ? AND user_principal_name = ?",
                             arguments: [tenantID, userPrincipalName]).map(Self.user(from:))
        }
    }

    public func listUsers(tenantID: String) async throws -> [User] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users WHERE tenant_id = ? ORDER BY user_principal_name, object_id",
                             arguments: [tenantID]).map(Self.user(from:))
        }
    }

    @discardableResult
    public func updateUser(tenantID: String, objectID: String,
                           _ change: @Sendable (inout User) throws -> Void) async throws -> User {
        // Read, change and write share one IMMEDIATE transaction, so `change` runs once and no
        // other writer (a TOTP step update, an admin disabling the user) can interleave.
        try await write { db in
            guard let old = try Self.fetchUser(tenantID: tenantID, objectID: objectID, db) else {
                throw StoreError.notFound("no user \(objectID) in tenant \(tenantID)")
            }
            var new = old
            try change(&new)
            new.tenantID = old.tenantID
            new.objectID = old.objectID
            guard new != old else { return old }
            try db.execute(sql: """
                UPDATE users SET user_principal_name = ?, display_name = ?, given_name = ?, family_name = ?,
                    account_enabled = ?, password_hash = ?, totp_secret = ?, totp_enrolled_at = ?,
                    totp_last_accepted_step = ?, created_at = ?, password_changed_at = ?,
                    sign_in_sessions_valid_from = ?
                WHERE tenant_id = ? AND object_id = ?
                """, arguments: [new.userPrincipalName, new.displayName, new.givenName, new.familyName,
                                 new.accountEnabled, new.passwordHash, SQLiteValues.blob(new.totp?.secret),
                                 SQLiteValues.milliseconds(new.totp?.enrolledAt), new.totp?.lastAcceptedStep,
                                 SQLiteValues.milliseconds(new.createdAt),
                                 SQLiteValues.milliseconds(new.passwordChangedAt),
                                 SQLiteValues.milliseconds(new.signInSessionsValidFrom), tenantID, objectID])
            return new
        }
    }

    public func deleteUser(tenantID: String, objectID: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM users WHERE tenant_id = ? AND object_id = ?",
                           arguments: [tenantID, objectID])
            guard db.changesCount > 0 else {
                throw StoreError.notFound("no user \(objectID) in tenant \(tenantID)")
            }
            // Edges and app role assignments have no foreign key to users (a member or principal
            // may be of three kinds), so they go here, in the same transaction. Only rows of kind
            // user: an id names one kind of member. Directory roles are held by users only.
            try db.execute(sql: """
                DELETE FROM group_memberships WHERE tenant_id = ? AND member_id = ? AND member_kind = ?
                """, arguments: [tenantID, objectID, GroupMembership.MemberKind.user.rawValue])
            try db.execute(sql: """
                DELETE FROM app_role_assignments WHERE tenant_id = ? AND principal_id = ? AND principal_kind = ?
                """, arguments: [tenantID, objectID, AppRoleAssignment.PrincipalKind.user.rawValue])
            try db.execute(sql: "DELETE FROM directory_role_assignments WHERE tenant_id = ? AND principal_id = ?",
                           arguments: [tenantID, objectID])
        }
    }

    // MARK: Rows

    static func fetchUser(tenantID: String, objectID: String, _ db: Database) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE tenant_id = ? AND object_id = ?",
                         arguments: [tenantID, objectID]).map(user(from:))
    }

    static func insert(_ user: User, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO users (tenant_id, object_id, user_principal_name, display_name, given_name, family_name,
                account_enabled, password_hash, totp_secret, totp_enrolled_at, totp_last_accepted_step, created_at,
                password_changed_at, sign_in_sessions_valid_from)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [user.tenantID, user.objectID, user.userPrincipalName, user.displayName, user.givenName,
                             user.familyName, user.accountEnabled, user.passwordHash,
                             SQLiteValues.blob(user.totp?.secret), SQLiteValues.milliseconds(user.totp?.enrolledAt),
                             user.totp?.lastAcceptedStep, SQLiteValues.milliseconds(user.createdAt),
                             SQLiteValues.milliseconds(user.passwordChangedAt),
                             SQLiteValues.milliseconds(user.signInSessionsValidFrom)])
    }

    static func user(from row: Row) throws -> User {
        var totp: TOTPEnrollment?
        if let secret = try row.optionalBytes("totp_secret") {
            // A secret without its enrolment date is a damaged row: refuse it rather than read the
            // user as password-only (that would fail open, skipping the second factor).
            guard let enrolledAt = try row.optionalDate("totp_enrolled_at") else {
                throw StoreError.invalidData("user \(try row.string("object_id")) has a TOTP secret but no enrolment date")
            }
            totp = TOTPEnrollment(secret: secret, enrolledAt: enrolledAt,
                                  lastAcceptedStep: try row.optionalInt64("totp_last_accepted_step"))
        }
        return User(tenantID: try row.string("tenant_id"), objectID: try row.string("object_id"),
                    userPrincipalName: try row.string("user_principal_name"),
                    displayName: try row.string("display_name"), givenName: try row.optionalString("given_name"),
                    familyName: try row.optionalString("family_name"),
                    accountEnabled: try row.bool("account_enabled"),
                    passwordHash: try row.optionalString("password_hash"), totp: totp,
                    createdAt: try row.date("created_at"), passwordChangedAt: try row.optionalDate("password_changed_at"),
                    signInSessionsValidFrom: try row.optionalDate("sign_in_sessions_valid_from"))
    }
}
