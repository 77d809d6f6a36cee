import Foundation
public import IdentityCore
internal import Logging
internal import PostgresNIO

extension PostgresIdentityStore: UserStore {
    public func createUser(_ user: User) async throws {
        try await directoryTransaction { connection in
            try await connection.run("""
                INSERT INTO users (tenant_id, object_id, user_principal_name, display_name, given_name, family_name,
                    account_enabled, password_hash, totp_secret, totp_enrolled_at, totp_last_accepted_step,
                    created_at, password_changed_at, sign_in_sessions_valid_from)
                VALUES (\(user.tenantID), \(user.objectID), \(user.userPrincipalName), \(user.displayName),
                    \(user.givenName), \(user.familyName), \(user.accountEnabled), \(user.passwordHash),
                    \(PostgresValues.bytes(user.totp?.secret)), \(PostgresValues.timestamp(user.totp?.enrolledAt)),
                    \(user.totp?.lastAcceptedStep), \(PostgresValues.timestamp(user.createdAt)),
                    \(PostgresValues.timestamp(user.passwordChangedAt)),
                    \(PostgresValues.timestamp(user.signInSessionsValidFrom)))
                """, self.queryLogger)
        }
    }

    public func user(tenantID: String, objectID: String) async throws -> User? {
        try await read { connection in
            try await Self.fetchUser(tenantID: tenantID, objectID: objectID, lock: false, connection, self.queryLogger)
        }
    }

    public func user(tenantID: String, userPrincipalName: String) async throws -> User? {
        try await read { connection in
            try await connection.row("""
                SELECT * FROM users WHERE tenant_id = \(tenantID)
                    AND lower(user_principal_name) = lower(\(userPrincipalName)::text COLLATE "C")
                """, self.queryLogger).map(Self.user(from:))
        }
    }

    public func listUsers(tenantID: String) async throws -> [User] {
        try await read { connection in
            try await connection.rows("""
                SELECT * FROM users WHERE tenant_id = \(tenantID) ORDER BY lower(user_principal_name), object_id
                """, self.queryLogger).map(Self.user(from:))
        }
    }

    @discardableResult
    public func updateUser(tenantID: String, objectID: String,
                           _ change: @Sendable (inout User) throws -> Void) async throws -> User {
        try await withoutActuallyEscaping(change) { change in
            try await directoryTransaction { connection in
                guard let old = try await Self.fetchUser(tenantID: tenantID, objectID: objectID, lock: true,
                                                         connection, self.queryLogger) else {
                    throw StoreError.notFound("no user \(objectID) in tenant \(tenantID)")
                }
                var new = old
                try change(&new)
                new.tenantID = old.tenantID
                new.objectID = old.objectID
                guard new != old else { return old }
                try await connection.run("""
                    UPDATE users SET user_principal_name = \(new.userPrincipalName), display_name = \(new.displayName),
                        given_name = \(new.givenName), family_name = \(new.familyName),
                        account_enabled = \(new.accountEnabled), password_hash = \(new.passwordHash),
                        totp_secret = \(PostgresValues.bytes(new.totp?.secret)),
                        totp_enrolled_at = \(PostgresValues.timestamp(new.totp?.enrolledAt)),
                        totp_last_accepted_step = \(new.totp?.lastAcceptedStep),
                        created_at = \(PostgresValues.timestamp(new.createdAt)),
                        password_changed_at = \(PostgresValues.timestamp(new.passwordChangedAt)),
                        sign_in_sessions_valid_from = \(PostgresValues.timestamp(new.signInSessionsValidFrom))
                    WHERE tenant_id = \(tenantID) AND object_id = \(objectID)
                    """, self.queryLogger)
                return new
            }
        }
    }

    public func deleteUser(tenantID: String, objectID: String) async throws {
        try await directoryTransaction { connection in
            let deleted = try await connection.changes("""
                DELETE FROM users WHERE tenant_id = \(tenantID) AND object_id = \(objectID) RETURNING 1
                """, self.queryLogger)
            guard deleted > 0 else { throw StoreError.notFound("no user \(objectID) in tenant \(tenantID)") }
            // Edges and app role assignments have no foreign key to users (a member or principal
            // may be of three kinds), so they go here, in the same transaction. Only rows of kind
            // user: an id names one kind of member. Directory roles are held by users only.
            try await connection.run("""
                DELETE FROM group_memberships WHERE tenant_id = \(tenantID) AND member_id = \(objectID)
                    AND member_kind = \(GroupMembership.MemberKind.user.rawValue)
                """, self.queryLogger)
            try await connection.run("""
                DELETE FROM app_role_assignments WHERE tenant_id = \(tenantID) AND principal_id = \(objectID)
                    AND principal_kind = \(AppRoleAssignment.PrincipalKind.user.rawValue)
                """, self.queryLogger)
            try await connection.run("""
                DELETE FROM directory_role_assignments WHERE tenant_id = \(tenantID) AND principal_id = \(objectID)
                """, self.queryLogger)
        }
    }

    static func fetchUser(tenantID: String, objectID: String, lock: Bool, _ connection: PostgresConnection,
                          _ logger: Logger) async throws -> User? {
        let query: PostgresQuery = lock
            ? "SELECT * FROM users WHERE tenant_id = \(tenantID) AND object_id = \(objectID) FOR UPDATE"
            : "SELECT * FROM users WHERE tenant_id = \(tenantID) AND object_id = \(objectID)"
        return try await connection.row(query, logger).map(user(from:))
    }

    static func user(from row: PostgresColumns) throws -> User {
        var totp: TOTPEnrollment?
        if let secret = try row.optionalBytes("totp_secret") {
            guard let enrolledAt = try row.optionalDate("totp_enrolled_at") else {
                throw StoreError.invalidData("user has a TOTP secret without an enrolment date")
            }
            totp = TOTPEnrollment(secret: secret, enrolledAt: enrolledAt,
                                  lastAcceptedStep: try row.optionalInt64("totp_last_accepted_step"))
        }
        return User(tenantID: try row.string("tenant_id"), objectID: try row.string("object_id"),
                    userPrincipalName: try row.string("user_principal_name"),
                    displayName: try row.string("display_name"), givenName: try row.optionalString("given_name"),
                    familyName: try row.optionalString("family_name"),
                    accountEnabled: try row.bool("account_enabled"), passwordHash: try row.optionalString("password_hash"),
                    totp: totp, createdAt: try row.date("created_at"),
                    passwordChangedAt: try row.optionalDate("password_changed_at"),
                    signInSessionsValidFrom: try row.optionalDate("sign_in_sessions_valid_from"))
    }
}
