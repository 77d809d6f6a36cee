import Foundation
import Hummingbird
import IdentityCore
import Logging
import OAuthProtocol

/// `/devicelogin`: where a person approves a device-code sign-in (RFC 8628 §3.3). One URL; what
/// it shows follows the session: enter code → sign in (password, then TOTP if enrolled) →
/// confirm (Continue / Cancel) → done. Every POST answers 303 back to the page.
struct DeviceLoginPages {
    let issuer: Issuer
    let logger: Logger
    private var support: PageSupport { PageSupport(issuer: issuer) }

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/devicelogin") { request, _ in
            try await show(request)
        }
        router.post("/devicelogin") { request, context in
            try await submit(request, address: context.remoteAddress)
        }
    }

    // MARK: GET

    private func show(_ request: Request) async throws -> Response {
        let now = support.now
        var session = support.cookie.readOrCreate(request, now: now)
        let notice = SignInTemplates.message(for: session.notice)
        session.notice = nil
        func page(_ html: String) -> Response {
            PageResponse.html(html, cookie: support.cookie.header(session, now: now))
        }
        if let completion = session.completion {
            session.completion = nil
            let parts = completion.split(separator: "|", maxSplits: 1).map(String.init)
            return page(DeviceLoginTemplates.done(applicationName: parts.count > 1 ? parts[1] : "the application",
                                                  approved: parts.first == "approved"))
        }
        guard let userCode = session.deviceUserCode else {
            return page(DeviceLoginTemplates.enterCode(csrf: session.csrfToken, notice: notice))
        }
        guard let authorization = try await issuer.deviceFlow.pendingAuthorization(userCode: userCode),
              let tenant = try await issuer.directory.tenant(authorization.tenantID) else {
            session.deviceUserCode = nil
            session.pendingSecondFactor = nil
            return page(DeviceLoginTemplates.enterCode(csrf: session.csrfToken,
                                                       notice: SignInTemplates.message(for: "code-expired")))
        }
        let client = try await issuer.directory.client(tenantID: tenant.id, clientID: authorization.clientID)
        let appName = client?.application.displayName ?? authorization.clientID
        let back = DeviceLoginTemplates.restart(csrf: session.csrfToken)
        let backForm = DeviceLoginTemplates.restartForm(csrf: session.csrfToken)
        if let user = session.user(in: tenant.id, now: now, maximumAge: issuer.configuration.browserSessionLifetime) {
            let resource = try await issuer.directory.resource(tenantID: tenant.id, identifier: authorization.resource)
            let scope = authorization.scope.isEmpty ? UserScope.v1(resource: authorization.resource)
                                                    : (try? UserScope.parse(scope: authorization.scope))
            let scopes = resource.flatMap { try? scope?.grantedScopes(of: $0) } ?? ""
            return page(DeviceLoginTemplates.confirm(csrf: session.csrfToken, .init(
                applicationName: appName, resourceName: resource?.displayName ?? authorization.resource, scopes: scopes,
                organization: tenant.name, tenantID: tenant.id, startedAt: authorization.createdAt,
                startedFrom: authorization.requestAddress, userPrincipalName: user.userPrincipalName), notice: notice))
        }
        if let pending = session.pendingSecondFactor, pending.tenantID == tenant.id,
           now.timeIntervalSince1970 - Double(pending.authenticatedAt) < 300 {
            return page(SignInTemplates.oneTimeCode(action: DeviceLoginTemplates.action, csrf: session.csrfToken,
                                                    organization: tenant.name, userPrincipalName: pending.userPrincipalName,
                                                    notice: notice, cancel: back, extraForms: backForm))
        }
        return page(SignInTemplates.password(action: DeviceLoginTemplates.action, csrf: session.csrfToken,
                                             organization: tenant.name, appName: appName, loginHint: nil, notice: notice,
                                             cancel: back, extraForms: backForm))
    }

    // MARK: POST

    private func submit(_ request: Request, address: String) async throws -> Response {
        let now = support.now
        let fields: [String: String]
        do {
            fields = try await FormRequest.body(request)
        } catch {
            return support.badRequest(title: "We couldn't read that form", message: "Go back and try again.")
        }
        guard var session = support.cookie.read(request, now: now),
              support.isTrustedPost(request, session: session, fields: fields) else { return support.forbidden() }
        switch fields["step"] {
        case "code": try await enterCode(fields["otc"] ?? "", session: &session, address: address)
        case "password": try await password(fields, session: &session, address: address)
        case "otp": try await oneTimeCode(fields["otp"] ?? "", session: &session, address: address)
        case "confirm": try await confirm(approve: fields["action"] == "continue", session: &session, address: address)
        case "restart":
            session.deviceUserCode = nil
            session.pendingSecondFactor = nil
        case "signout":
            session.user = nil
            session.pendingSecondFactor = nil
        default:
            return support.badRequest(title: "We couldn't read that form", message: "Go back and try again.")
        }
        return PageResponse.seeOther(DeviceLoginTemplates.action, cookie: support.cookie.header(session, now: now))
    }

    private func enterCode(_ input: String, session: inout BrowserSession, address: String) async throws {
        if try await issuer.signInThrottle.userCodeEntryBlocked(sessionID: session.id, address: address) {
            session.notice = "code-blocked"
            await issuer.audit.record("device.code-entry", tenantID: nil, outcome: "failure", sourceAddress: address,
                                      details: ["reason": "blocked"])
            return
        }
        guard let authorization = try await issuer.deviceFlow.pendingAuthorization(userCode: input) else {
            try await issuer.signInThrottle.recordUserCodeFailure(sessionID: session.id, address: address)
            await issuer.audit.record("device.code-entry", tenantID: nil, outcome: "failure", sourceAddress: address,
                                      details: ["reason": "unknown or expired code"])
            session.notice = "code-invalid"
            return
        }
        session.deviceUserCode = authorization.userCode
        session.pendingSecondFactor = nil
    }

    /// The flow the session is approving, still pending, and its tenant.
    private func currentFlow(_ session: inout BrowserSession) async throws -> (DeviceAuthorization, Tenant)? {
        guard let code = session.deviceUserCode,
              let authorization = try await issuer.deviceFlow.pendingAuthorization(userCode: code),
              let tenant = try await issuer.directory.tenant(authorization.tenantID) else {
            session.deviceUserCode = nil
            session.pendingSecondFactor = nil
            session.notice = "code-expired"
            return nil
        }
        return (authorization, tenant)
    }

    private func password(_ fields: [String: String], session: inout BrowserSession, address: String) async throws {
        guard let (authorization, tenant) = try await currentFlow(&session) else { return }
        let outcome = try await issuer.signIn.verifyPassword(tenant: tenant, userPrincipalName: fields["username"] ?? "",
                                                             password: fields["password"] ?? "", address: address,
                                                             clientID: authorization.clientID)
        apply(outcome, tenant: tenant, session: &session, secondFactor: false)
    }

    private func oneTimeCode(_ code: String, session: inout BrowserSession, address: String) async throws {
        guard let (authorization, tenant) = try await currentFlow(&session) else { return }
        guard let pending = session.pendingSecondFactor, pending.tenantID == tenant.id else {
            session.notice = "session"
            return
        }
        let outcome = try await issuer.signIn.verifySecondFactor(tenant: tenant, userObjectID: pending.objectID, code: code,
                                                                 address: address, clientID: authorization.clientID)
        apply(outcome, tenant: tenant, session: &session, secondFactor: true)
    }

    private func apply(_ outcome: SignInOutcome, tenant: Tenant, session: inout BrowserSession, secondFactor: Bool) {
        let now = Int(support.now.timeIntervalSince1970)
        switch outcome {
        case .signedIn(let user, let methods):
            session.user = .init(tenantID: tenant.id, objectID: user.objectID, userPrincipalName: user.userPrincipalName,
                                 authenticatedAt: now, methods: methods)
            session.pendingSecondFactor = nil
        case .needsSecondFactor(let user):
            session.pendingSecondFactor = .init(tenantID: tenant.id, objectID: user.objectID,
                                                userPrincipalName: user.userPrincipalName, authenticatedAt: now, methods: ["pwd"])
        case .failed(let error):
            session.notice = secondFactor && error.code == 50126 ? "otp" : PageSupport.noticeKey(for: error.code)
        }
    }

    private func confirm(approve: Bool, session: inout BrowserSession, address: String) async throws {
        guard let (authorization, tenant) = try await currentFlow(&session) else { return }
        let now = support.now
        guard let signedIn = session.user(in: tenant.id, now: now, maximumAge: issuer.configuration.browserSessionLifetime),
              let user = try await issuer.store.user(tenantID: tenant.id, objectID: signedIn.objectID), user.accountEnabled else {
            session.user = nil
            session.notice = "session"
            return
        }
        let client = try await issuer.directory.client(tenantID: tenant.id, clientID: authorization.clientID)
        let appName = client?.application.displayName ?? authorization.clientID
        let decided: Bool
        if approve {
            decided = try await issuer.deviceFlow.approve(
                userCode: authorization.userCode, user: user, methods: signedIn.methods,
                authenticatedAt: Date(timeIntervalSince1970: TimeInterval(signedIn.authenticatedAt)))
        } else {
            decided = try await issuer.deviceFlow.decline(userCode: authorization.userCode, userObjectID: user.objectID)
        }
        guard decided else {
            session.deviceUserCode = nil
            session.notice = "code-expired"
            return
        }
        await issuer.audit.record(approve ? "device.approved" : "device.declined", tenantID: tenant.id,
                                  outcome: approve ? "success" : "failure", actor: user.objectID, subject: user.objectID,
                                  clientID: authorization.clientID, sourceAddress: address,
                                  details: ["startedFrom": authorization.requestAddress, "resource": authorization.resource])
        session.deviceUserCode = nil
        session.completion = "\(approve ? "approved" : "declined")|\(appName)"
    }
}
