import Cryptography
import Foundation

/// A user and, for `user mfa enable`, the `otpauth://` URI to show once.
public struct TOTPProvisioning: Sendable {
    public var user: User
    public var uri: String
}

extension DirectoryAdministration {
    /// Password rules: 8 to 256 characters (Entra's length limits), not the UPN itself.
    static func checkPassword(_ password: String, userPrincipalName: String) throws {
        guard (8...256).contains(password.count) else {
            throw AdministrationError.invalidArgument("the password must be 8-256 characters long")
        }
        guard password.lowercased() != userPrincipalName.lowercased(),
              password.lowercased() != userPrincipalName.split(separator: "@").first.map({ $0.lowercased() }) else {
            throw AdministrationError.invalidArgument("the password must not be the user name")
        }
    }

    /// `alias@domain` with the characters Entra allows in UPNs, at most 113 characters.
    static func isValidUserPrincipalName(_ upn: String) -> Bool {
        let parts = upn.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...64).contains(parts[0].count), (1...48).contains(parts[1].count),
              upn.count <= 113, !parts[0].hasPrefix("."), !parts[0].hasSuffix("."), parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        let localAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.-_!#^~+")
        let domainAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        return parts[0].allSatisfy(localAllowed.contains) && parts[1].allSatisfy(domainAllowed.contains)
    }

    /// Creates a user with a password (hashed with scrypt; the clear text is never stored or logged).
    public func createUser(tenant idOrName: String, userPrincipalName: String, displayName: String,
                           givenName: String? = nil, familyName: String? = nil, password: String) async throws -> User {
        let tenant = try await tenant(idOrName)
        let upn = userPrincipalName.trimmingCharacters(in: .whitespaces)
        guard Self.isValidUserPrincipalName(upn) else {
            throw AdministrationError(.invalidArgument, "\(field: "userPrincipalName") '\(userPrincipalName)' is not a valid user principal name (alias@domain)")
        }
        let name = try Self.checkDisplayName(displayName)
        try Self.checkPassword(password, userPrincipalName: upn)
        let now = clock.now()
        let user = User(tenantID: tenant.id, objectID: ObjectID.make(), userPrincipalName: upn, displayName: name,
                        givenName: givenName.flatMap { $0.isEmpty ? nil : $0 },
                        familyName: familyName.flatMap { $0.isEmpty ? nil : $0 },
                        passwordHash: try await passwordHasher.hash(password), createdAt: now, passwordChangedAt: now)
        do {
            try await store.createUser(user)
        } catch let error as StoreError where error.code == .alreadyExists {
            throw AdministrationError.alreadyExists("a user '\(upn)' already exists in tenant '\(tenant.name)'")
        }
        await recordChange("user.created", tenantID: tenant.id, subject: user.objectID,
                           details: ["userPrincipalName": upn])
        return user
    }

    public func listUsers(tenant idOrName: String) async throws -> [User] {
        let tenant = try await tenant(idOrName)
        return try await store.listUsers(tenantID: tenant.id)
    }

    /// The user whose object id or user principal name is `id`.
    public func user(tenant idOrName: String, id: String) async throws -> User {
        let tenant = try await tenant(idOrName)
        return try await requireUser(tenantID: tenant.id, id: id)
    }

    /// Sets a new password and signs the user out everywhere (browser sessions end and every
    /// refresh token is revoked).
    public func setPassword(tenant idOrName: String, id: String, password: String) async throws -> User {
        let tenant = try await tenant(idOrName)
        let user = try await requireUser(tenantID: tenant.id, id: id)
        try Self.checkPassword(password, userPrincipalName: user.userPrincipalName)
        let hash = try await passwordHasher.hash(password)
        let now = clock.now()
        let updated = try await store.updateUser(tenantID: tenant.id, objectID: user.objectID) { user in
            user.passwordHash = hash
            user.passwordChangedAt = now
            user.signInSessionsValidFrom = now
        }
        try await store.revokeRefreshTokens(tenantID: tenant.id, userObjectID: user.objectID, now: now)
        await recordChange("user.password-set", tenantID: tenant.id, subject: user.objectID)
        return updated
    }

    /// Enables or disables sign-in. Disabling also ends every session and revokes every refresh
    /// token, so the next refresh or single sign-on fails at once.
    public func setUserEnabled(tenant idOrName: String, id: String, enabled: Bool) async throws -> User {
        let tenant = try await tenant(idOrName)
        let user = try await requireUser(tenantID: tenant.id, id: id)
        let now = clock.now()
        let updated = try await store.updateUser(tenantID: tenant.id, objectID: user.objectID) { user in
            user.accountEnabled = enabled
            if !enabled { user.signInSessionsValidFrom = now }
        }
        if !enabled {
            try await store.revokeRefreshTokens(tenantID: tenant.id, userObjectID: user.objectID, now: now)
        }
        await recordChange(enabled ? "user.enabled" : "user.disabled", tenantID: tenant.id, subject: user.objectID)
        return updated
    }

    /// Changes a user's profile (nil leaves a property as it is). A new password or a disable
    /// signs the user out everywhere, as ``setPassword(tenant:id:password:)`` and
    /// ``setUserEnabled(tenant:id:enabled:)`` do.
    public func updateUser(tenant idOrName: String, id: String, changes: UserChanges) async throws -> User {
        let tenant = try await tenant(idOrName)
        var user = try await requireUser(tenantID: tenant.id, id: id)
        let name = try changes.displayName.map(Self.checkDisplayName)
        if name != nil || changes.givenName != nil || changes.familyName != nil {
            user = try await store.updateUser(tenantID: tenant.id, objectID: user.objectID) { user in
                if let name { user.displayName = name }
                if let givenName = changes.givenName { user.givenName = givenName }
                if let familyName = changes.familyName { user.familyName = familyName }
            }
            await recordChange("user.updated", tenantID: tenant.id, subject: user.objectID,
                               details: ["displayName": user.displayName])
        }
        if let password = changes.password {
            user = try await setPassword(tenant: tenant.id, id: user.objectID, password: password)
        }
        if let enabled = changes.accountEnabled, enabled != user.accountEnabled {
            user = try await setUserEnabled(tenant: tenant.id, id: user.objectID, enabled: enabled)
        }
        return user
    }

    /// Deletes the user, its group memberships and its refresh tokens.
    public func deleteUser(tenant idOrName: String, id: String) async throws {
        let tenant = try await tenant(idOrName)
        let user = try await requireUser(tenantID: tenant.id, id: id)
        try await store.revokeRefreshTokens(tenantID: tenant.id, userObjectID: user.objectID, now: clock.now())
        try await store.deleteUser(tenantID: tenant.id, objectID: user.objectID)
        await recordChange("user.deleted", tenantID: tenant.id, subject: user.objectID,
                           details: ["userPrincipalName": user.userPrincipalName])
    }

    /// Enrols (or re-enrols) a TOTP second factor and returns the `otpauth://` URI to scan.
    /// The secret is shown only this once.
    public func enableMFA(tenant idOrName: String, id: String) async throws -> TOTPProvisioning {
        let tenant = try await tenant(idOrName)
        let user = try await requireUser(tenantID: tenant.id, id: id)
        let secret = SecureRandom.bytes(20)
        let enrollment = TOTPEnrollment(secret: secret, enrolledAt: clock.now())
        let now = clock.now()
        let updated = try await store.updateUser(tenantID: tenant.id, objectID: user.objectID) { user in
            user.totp = enrollment
            user.signInSessionsValidFrom = now
        }
        try await store.revokeRefreshTokens(tenantID: tenant.id, userObjectID: user.objectID, now: now)
        await recordChange("user.mfa-enabled", tenantID: tenant.id, subject: user.objectID)
        return TOTPProvisioning(user: updated, uri: TOTPVerifier.provisioningURI(secret: secret, account: user.userPrincipalName))
    }

    public func disableMFA(tenant idOrName: String, id: String) async throws -> User {
        let tenant = try await tenant(idOrName)
        let user = try await requireUser(tenantID: tenant.id, id: id)
        let now = clock.now()
        let updated = try await store.updateUser(tenantID: tenant.id, objectID: user.objectID) { user in
            user.totp = nil
            user.signInSessionsValidFrom = now
        }
        try await store.revokeRefreshTokens(tenantID: tenant.id, userObjectID: user.objectID, now: now)
        await recordChange("user.mfa-disabled", tenantID: tenant.id, subject: user.objectID)
        return updated
    }

    /// Graph's `revokeSignInSessions`: every sign-in so far stops counting (browser sessions,
    /// approved device codes, refresh tokens, which are also revoked). Access tokens already
    /// issued stay valid until they expire.
    public func revokeSignInSessions(tenant idOrName: String, id: String) async throws -> User {
        let tenant = try await tenant(idOrName)
        let user = try await requireUser(tenantID: tenant.id, id: id)
        let now = clock.now()
        let updated = try await store.updateUser(tenantID: tenant.id, objectID: user.objectID) { $0.signInSessionsValidFrom = now }
        let revoked = try await store.revokeRefreshTokens(tenantID: tenant.id, userObjectID: user.objectID, now: now)
        await recordChange("user.sessions-revoked", tenantID: tenant.id, subject: user.objectID,
                           details: ["refreshTokensRevoked": String(revoked)])
        return updated
    }

    func requireUser(tenantID: String, id: String) async throws -> User {
        if let objectID = ObjectID.canonical(id), let user = try await store.user(tenantID: tenantID, objectID: objectID) {
            return user
        }
        if id.contains("@"), let user = try await store.user(tenantID: tenantID, userPrincipalName: id) {
            return user
        }
        throw AdministrationError.notFound("user '\(id)' not found (give its object id or user principal name)")
    }
}

/// What `updateUser` may change; nil leaves a property as it is, `.some(nil)` clears it.
public struct UserChanges: Sendable {
    public var displayName: String?
    public var givenName: String??
    public var familyName: String??
    public var accountEnabled: Bool?
    public var password: String?

    public init(displayName: String? = nil, givenName: String?? = nil, familyName: String?? = nil,
                accountEnabled: Bool? = nil, password: String? = nil) {
        self.displayName = displayName
        self.givenName = givenName
        self.familyName = familyName
        self.accountEnabled = accountEnabled
        self.password = password
    }
}
