import Foundation
import OAuthProtocol

/// The sign-in pages' state machine, shared by `/authorize` and `/devicelogin`: password →
/// TOTP when the decision asks for it → signed in, with single sign-on reuse of the browser
/// session. The pages only render what ``Step`` says and redirect.
///
/// Every completion, single sign-on included, goes through the ``AccessPolicy``; every refusal
/// is recorded in the sign-in log here. A success is recorded where its token is minted (the
/// token endpoint redeeming the code), so one sign-in is one success record.
///
/// The state lives in the signed ``BrowserSession`` cookie: any instance can take the next step.
public struct InteractiveSignIn: Sendable {
    /// The sign-in being done, as the page knows it.
    public struct Attempt: Sendable {
        public var tenant: Tenant
        public var client: Application
        public var resource: Application?
        public var flow: SignInFlow
        public var clientAddress: String
        public var userAgent: String?
        /// Device code: the id of the client's `/devicecode` request, so the client's
        /// correlation id finds the page's failures; authorization code: one per request.
        public var correlationID: String

        public init(tenant: Tenant, client: Application, resource: Application?, flow: SignInFlow, clientAddress: String,
                    userAgent: String?, correlationID: String) {
            self.tenant = tenant
            self.client = client
            self.resource = resource
            self.flow = flow
            self.clientAddress = clientAddress
            self.userAgent = userAgent
            self.correlationID = correlationID
        }
    }

    /// What the page shows next.
    public enum Step: Sendable {
        /// Signed in and allowed: issue the code, or show the device confirmation.
        case signedIn(User, BrowserSession.SignedInUser)
        /// Show the password form; `failure` says why the last step did not succeed.
        case askPassword(failure: OAuthError?)
        /// Show the TOTP form for this user; `failure` when the last code was wrong.
        case askSecondFactor(userPrincipalName: String, failure: OAuthError?)
    }

    /// How long a password stays accepted while the TOTP code is owed.
    public static let secondFactorWindow: TimeInterval = 300

    private let credentials: UserCredentialVerifier
    private let policy: any AccessPolicy
    private let store: any IdentityStore
    private let signIns: SignInLog
    private let clock: any IdentityClock
    private let sessionLifetime: TimeInterval

    public init(credentials: UserCredentialVerifier, policy: any AccessPolicy, store: any IdentityStore,
                signIns: SignInLog, clock: any IdentityClock, sessionLifetime: TimeInterval) {
        self.credentials = credentials
        self.policy = policy
        self.store = store
        self.signIns = signIns
        self.clock = clock
        self.sessionLifetime = sessionLifetime
    }

    /// Where the browser stands for `attempt`: single sign-on when it is signed in to the tenant
    /// (unless `forceLogin`, `prompt=login`), the TOTP form within the second-factor window,
    /// else the password form.
    public func resume(_ attempt: Attempt, session: inout BrowserSession, forceLogin: Bool = false) async throws -> Step {
        let now = clock.now()
        if !forceLogin, let signedIn = session.user(in: attempt.tenant.id, now: now, maximumAge: sessionLifetime) {
            guard let user = try await store.user(tenantID: attempt.tenant.id, objectID: signedIn.objectID) else {
                session.user = nil
                return .askPassword(failure: nil)
            }
            return try await complete(attempt, user: user, methods: signedIn.methods,
                                      authenticatedAt: Date(timeIntervalSince1970: TimeInterval(signedIn.authenticatedAt)),
                                      session: &session)
        }
        if let pending = pendingSecondFactor(attempt, session: session, now: now) {
            return .askSecondFactor(userPrincipalName: pending.userPrincipalName, failure: nil)
        }
        return .askPassword(failure: nil)
    }

    /// The password form was submitted.
    public func submitPassword(_ attempt: Attempt, userPrincipalName: String, password: String,
                               session: inout BrowserSession) async throws -> Step {
        session.pendingSecondFactor = nil
        var context = context(for: attempt)
        switch try await credentials.verifyPassword(tenant: attempt.tenant, userPrincipalName: userPrincipalName,
                                                    password: password, address: attempt.clientAddress) {
        case .wrong(let user):
            context.subject = user.map(SignInSubject.user)
            signIns.recordFailure(context, error: .invalidUsernameOrPassword)
            return .askPassword(failure: .invalidUsernameOrPassword)
        case .locked(let until, let user):
            context.subject = user.map(SignInSubject.user)
            context.lockedUntil = until
            let error = try await policy.evaluate(context).error ?? .accountLocked
            signIns.recordFailure(context, error: error)
            return .askPassword(failure: error)
        case .verified(let user):
            return try await complete(attempt, user: user, methods: ["pwd"], authenticatedAt: clock.now(), session: &session)
        }
    }

    /// The TOTP form was submitted.
    public func submitSecondFactor(_ attempt: Attempt, code: String, session: inout BrowserSession) async throws -> Step {
        guard let pending = pendingSecondFactor(attempt, session: session, now: clock.now()) else {
            session.pendingSecondFactor = nil
            return .askPassword(failure: .signInSessionExpired)
        }
        var context = context(for: attempt)
        switch try await credentials.verifySecondFactor(tenant: attempt.tenant, userObjectID: pending.objectID, code: code,
                                                        address: attempt.clientAddress) {
        case .wrong(let user):
            context.subject = user.map(SignInSubject.user)
            context.authenticationMethods = pending.methods
            signIns.recordFailure(context, error: .invalidUsernameOrPassword)
            return .askSecondFactor(userPrincipalName: pending.userPrincipalName, failure: .invalidUsernameOrPassword)
        case .locked(let until, let user):
            session.pendingSecondFactor = nil
            context.subject = user.map(SignInSubject.user)
            context.lockedUntil = until
            let error = try await policy.evaluate(context).error ?? .accountLocked
            signIns.recordFailure(context, error: error)
            return .askPassword(failure: error)
        case .verified(let user):
            return try await complete(attempt, user: user, methods: pending.methods + ["mfa"],
                                      authenticatedAt: Date(timeIntervalSince1970: TimeInterval(pending.authenticatedAt)),
                                      session: &session)
        }
    }

    /// Signs the browser out of every tenant.
    public func signOut(session: inout BrowserSession) {
        session.user = nil
        session.pendingSecondFactor = nil
    }

    // MARK: Completion

    /// The one place an interactive sign-in is decided.
    private func complete(_ attempt: Attempt, user: User, methods: [String], authenticatedAt: Date,
                          session: inout BrowserSession) async throws -> Step {
        var context = context(for: attempt)
        context.subject = .user(user)
        context.authenticationMethods = methods
        context.authenticatedAt = authenticatedAt
        let signedIn = BrowserSession.SignedInUser(
            tenantID: attempt.tenant.id, objectID: user.objectID, userPrincipalName: user.userPrincipalName,
            authenticatedAt: Int(authenticatedAt.timeIntervalSince1970), methods: methods)
        switch try await policy.evaluate(context) {
        case .allow:
            session.user = signedIn
            session.pendingSecondFactor = nil
            return .signedIn(user, signedIn)
        case .requireSecondFactor(let error):
            guard user.totp != nil else {
                session.user = nil
                signIns.recordFailure(context, error: error)
                return .askPassword(failure: error)
            }
            session.user = nil
            session.pendingSecondFactor = signedIn
            return .askSecondFactor(userPrincipalName: user.userPrincipalName, failure: nil)
        case .requireReauthentication(let error), .block(let error):
            session.user = nil
            session.pendingSecondFactor = nil
            signIns.recordFailure(context, error: error)
            return .askPassword(failure: error)
        }
    }

    private func pendingSecondFactor(_ attempt: Attempt, session: BrowserSession, now: Date) -> BrowserSession.SignedInUser? {
        guard let pending = session.pendingSecondFactor, pending.tenantID == attempt.tenant.id,
              now.timeIntervalSince1970 - Double(pending.authenticatedAt) < Self.secondFactorWindow else { return nil }
        return pending
    }

    private func context(for attempt: Attempt) -> SignInContext {
        SignInContext(tenant: attempt.tenant, flow: attempt.flow, isInteractive: true, correlationID: attempt.correlationID,
                      clientAddress: attempt.clientAddress, userAgent: attempt.userAgent, client: attempt.client,
                      requestedClientID: attempt.client.appID, resource: attempt.resource)
    }
}
