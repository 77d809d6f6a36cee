import Cryptography
import Foundation
import OAuthProtocol

/// Checks what a user presents: the password (scrypt), then the TOTP code when enrolled, with
/// the lockouts of ``SignInThrottle``. It answers only "is this the credential?"; whether the
/// user may then sign in is the ``AccessPolicy``'s decision, and recording the attempt is the
/// caller's (``InteractiveSignIn``, ``TokenEndpoint``).
public struct UserCredentialVerifier: Sendable {
    /// What a credential check found.
    public enum Outcome: Sendable {
        case verified(User)
        /// Wrong password or code, or no such user: never say which (AADSTS50126).
        case wrong(User?)
        /// Too many wrong passwords: nothing was checked (the user, when the name matches one).
        case locked(until: Date, User?)
    }

    private let store: any IdentityStore
    private let passwordHasher: PasswordHasher
    private let throttle: SignInThrottle
    private let totp: TOTPVerifier
    private let clock: any IdentityClock

    public init(store: any IdentityStore, passwordHasher: PasswordHasher, throttle: SignInThrottle,
                clock: any IdentityClock, totp: TOTPVerifier = TOTPVerifier()) {
        self.store = store
        self.passwordHasher = passwordHasher
        self.throttle = throttle
        self.totp = totp
        self.clock = clock
    }

    /// User principal name and password. Lockout is checked first, so a locked account answers
    /// the same whether the password was right or not.
    public func verifyPassword(tenant: Tenant, userPrincipalName: String, password: String,
                               address: String) async throws -> Outcome {
        let upn = userPrincipalName.trimmingCharacters(in: .whitespaces)
        guard !upn.isEmpty, upn.count <= 256, password.count <= 1024 else { return .wrong(nil) }
        if let until = try await throttle.passwordLockedUntil(tenantID: tenant.id, userPrincipalName: upn, address: address) {
            return .locked(until: until, try await store.user(tenantID: tenant.id, userPrincipalName: upn))
        }
        let user = try await store.user(tenantID: tenant.id, userPrincipalName: upn)
        let matches: Bool
        do {
            matches = try await passwordHasher.verify(password, stored: user?.passwordHash)
        } catch is PasswordHasherBusy {
            throw OAuthError.tooManyIncomingRequests(retryAfter: 5)
        }
        guard matches, let user, let stored = user.passwordHash else {
            try await throttle.recordPasswordFailure(tenantID: tenant.id, userPrincipalName: upn, address: address)
            return .wrong(user)
        }
        try await throttle.recordPasswordSuccess(tenantID: tenant.id, userPrincipalName: upn, address: address)
        await upgradeHashIfNeeded(user, stored: stored, password: password)
        return .verified(user)
    }

    /// The TOTP code of a user whose password was accepted. A code is accepted once (replay
    /// refused); wrong codes count towards the password lockout.
    public func verifySecondFactor(tenant: Tenant, userObjectID: String, code: String,
                                   address: String) async throws -> Outcome {
        guard let user = try await store.user(tenantID: tenant.id, objectID: userObjectID) else { return .wrong(nil) }
        let upn = user.userPrincipalName
        if let until = try await throttle.passwordLockedUntil(tenantID: tenant.id, userPrincipalName: upn, address: address) {
            return .locked(until: until, user)
        }
        guard let enrollment = user.totp, let step = totp.acceptedStep(for: code, enrollment: enrollment, now: clock.now()) else {
            try await throttle.recordPasswordFailure(tenantID: tenant.id, userPrincipalName: upn, address: address)
            return .wrong(user)
        }
        let accepted: User
        do {
            // The step is taken inside the atomic update, so two requests with one code cannot
            // both pass.
            accepted = try await store.updateUser(tenantID: tenant.id, objectID: user.objectID) { user in
                guard let current = user.totp, current.secret == enrollment.secret,
                      (current.lastAcceptedStep ?? .min) < step else { throw CodeAlreadyUsed() }
                user.totp?.lastAcceptedStep = step
            }
        } catch is CodeAlreadyUsed {
            return .wrong(user)
        }
        try await throttle.recordPasswordSuccess(tenantID: tenant.id, userPrincipalName: upn, address: address)
        return .verified(accepted)
    }

    private struct CodeAlreadyUsed: Error {}

    /// Re-hashes with the current cost after a successful password check when the stored hash
    /// is older (cheaper). Best effort.
    private func upgradeHashIfNeeded(_ user: User, stored: String, password: String) async {
        guard PasswordHash.needsRehash(stored, current: passwordHasher.parameters),
              let newHash = try? await passwordHasher.hash(password) else { return }
        _ = try? await store.updateUser(tenantID: user.tenantID, objectID: user.objectID) { user in
            if user.passwordHash == stored { user.passwordHash = newHash }
        }
    }
}
