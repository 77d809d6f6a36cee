import Cryptography
import Foundation
import OAuthProtocol

/// What a sign-in step produced. Expected failures are values: a page shows them, ROPC turns
/// them into token-endpoint errors.
public enum SignInOutcome: Sendable {
    /// Fully signed in; `methods` becomes `amr` (`["pwd"]` or `["pwd","mfa"]`).
    case signedIn(User, methods: [String])
    /// The password was right and the user has TOTP: ask for the code next.
    case needsSecondFactor(User)
    /// Refused: 50126 (bad user or password, never saying which), 50053 (locked), 50057 (disabled).
    case failed(OAuthError)
}

/// Checks user credentials: password (scrypt), then TOTP when enrolled, with lockouts
/// (``SignInThrottle``) and an audit event for every attempt.
public struct UserSignIn: Sendable {
    private let store: any IdentityStore
    private let passwordHasher: PasswordHasher
    private let throttle: SignInThrottle
    private let totp: TOTPVerifier
    private let audit: AuditTrail
    private let clock: any IdentityClock

    public init(store: any IdentityStore, passwordHasher: PasswordHasher, throttle: SignInThrottle,
                audit: AuditTrail, clock: any IdentityClock, totp: TOTPVerifier = TOTPVerifier()) {
        self.store = store
        self.passwordHasher = passwordHasher
        self.throttle = throttle
        self.totp = totp
        self.audit = audit
        self.clock = clock
    }

    /// Step one: user principal name and password.
    public func verifyPassword(tenant: Tenant, userPrincipalName: String, password: String, address: String,
                               clientID: String? = nil) async throws -> SignInOutcome {
        let upn = userPrincipalName.trimmingCharacters(in: .whitespaces)
        guard !upn.isEmpty, upn.count <= 256, password.count <= 1024 else {
            return .failed(.invalidUsernameOrPassword)
        }
        if try await throttle.passwordLockedUntil(tenantID: tenant.id, userPrincipalName: upn, address: address) != nil {
            await audit.record("signin.failed", tenantID: tenant.id, outcome: "failure", subject: upn, clientID: clientID,
                               sourceAddress: address, details: ["code": "50053", "reason": "locked"])
            return .failed(.accountLocked)
        }
        let user = try await store.user(tenantID: tenant.id, userPrincipalName: upn)
        let matches = await passwordHasher.verify(password, stored: user?.passwordHash)
        guard matches, let user, let stored = user.passwordHash else {
            try await throttle.recordPasswordFailure(tenantID: tenant.id, userPrincipalName: upn, address: address)
            await audit.record("signin.failed", tenantID: tenant.id, outcome: "failure", subject: user?.objectID ?? upn,
                               clientID: clientID, sourceAddress: address, details: ["code": "50126"])
            return .failed(.invalidUsernameOrPassword)
        }
        guard user.accountEnabled else {
            await audit.record("signin.failed", tenantID: tenant.id, outcome: "failure", actor: user.objectID,
                               subject: user.objectID, clientID: clientID, sourceAddress: address,
                               details: ["code": "50057", "reason": "disabled"])
            return .failed(.userDisabled)
        }
        try await throttle.recordPasswordSuccess(tenantID: tenant.id, userPrincipalName: upn)
        await upgradeHashIfNeeded(user, stored: stored, password: password)
        if user.totp != nil { return .needsSecondFactor(user) }
        await audit.record("signin.succeeded", tenantID: tenant.id, actor: user.objectID, subject: user.objectID,
                           clientID: clientID, sourceAddress: address, details: ["amr": "pwd"])
        return .signedIn(user, methods: ["pwd"])
    }

    /// Step two for enrolled users: the TOTP code. A code is accepted once (replay refused).
    public func verifySecondFactor(tenant: Tenant, userObjectID: String, code: String, address: String,
                                   clientID: String? = nil) async throws -> SignInOutcome {
        guard let user = try await store.user(tenantID: tenant.id, objectID: userObjectID) else {
            return .failed(.invalidUsernameOrPassword)
        }
        let upn = user.userPrincipalName
        if try await throttle.passwordLockedUntil(tenantID: tenant.id, userPrincipalName: upn, address: address) != nil {
            return .failed(.accountLocked)
        }
        guard user.accountEnabled else { return .failed(.userDisabled) }
        let now = clock.now()
        guard let enrollment = user.totp, let step = totp.acceptedStep(for: code, enrollment: enrollment, now: now) else {
            try await throttle.recordPasswordFailure(tenantID: tenant.id, userPrincipalName: upn, address: address)
            await audit.record("signin.failed", tenantID: tenant.id, outcome: "failure", actor: user.objectID,
                               subject: user.objectID, clientID: clientID, sourceAddress: address,
                               details: ["code": "50126", "reason": "totp"])
            return .failed(.invalidUsernameOrPassword)
        }
        do {
            try await store.updateUser(tenantID: tenant.id, objectID: user.objectID) { user in
                guard let current = user.totp, current.secret == enrollment.secret,
                      (current.lastAcceptedStep ?? .min) < step else { throw OAuthError.invalidUsernameOrPassword }
                user.totp?.lastAcceptedStep = step
            }
        } catch let error as OAuthError {
            return .failed(error)
        }
        try await throttle.recordPasswordSuccess(tenantID: tenant.id, userPrincipalName: upn)
        await audit.record("signin.succeeded", tenantID: tenant.id, actor: user.objectID, subject: user.objectID,
                           clientID: clientID, sourceAddress: address, details: ["amr": "pwd mfa"])
        return .signedIn(user, methods: ["pwd", "mfa"])
    }

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
