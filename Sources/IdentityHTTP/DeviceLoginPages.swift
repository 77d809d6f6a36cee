import Foundation
import Hummingbird
import IdentityCore
import Logging
import OAuthProtocol

/// `/devicelogin`: where a person approves a device-code sign-in (RFC 8628 §3.3). One URL; what
/// it shows follows the session: enter code → sign in (password, then TOTP if enrolled) →
/// confirm (Continue / Cancel) → done. Every POST answers 303 back to the page.
struct DeviceLoginPages {
    let deviceFlow: DeviceCodeFlow
    let directory: DirectoryView
    let interactiveSignIn: InteractiveSignIn
    let signInThrottle: SignInThrottle
    let audit: AuditTrail
    let support: PageSupport
    let logger: Logger

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/devicelogin") { request, context in
            try await show(request, address: context.remoteAddress)
        }
        router.post("/devicelogin") { request, context in
            try await submit(request, address: context.remoteAddress)
        }
    }

    // MARK: GET

    private func show(_ request: Request, address: String) async throws -> Response {
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
        guard let authorization = try await deviceFlow.pendingAuthorization(userCode: userCode),
              let tenant = try await directory.tenant(authorization.tenantID) else {
            session.deviceUserCode = nil
            session.pendingSecondFactor = nil
            return page(DeviceLoginTemplates.enterCode(csrf: session.csrfToken,
                                                       notice: SignInTemplates.message(for: "code-expired")))
        }
        let client = try await directory.client(tenantID: tenant.id, clientID: authorization.clientID)
        let appName = client?.application.displayName ?? authorization.clientID
        let back = DeviceLoginTemplates.restart(csrf: session.csrfToken)
        let backForm = DeviceLoginTemplates.restartForm(csrf: session.csrfToken)
        let resource = try await directory.resource(tenantID: tenant.id, identifier: authorization.resource)
        let attempt = Self.attempt(authorization, tenant: tenant, client: client?.application, resource: resource,
                                   request: request, address: address)
        switch try await interactiveSignIn.resume(attempt, session: &session) {
        case .signedIn(let user, _):
            let scope = authorization.scope.isEmpty ? UserScope.v1(resource: authorization.resource)
                                                    : (try? UserScope.parse(scope: authorization.scope))
            let scopes = resource.flatMap { try? scope?.grantedScopes(of: $0) } ?? ""
            return page(DeviceLoginTemplates.confirm(csrf: session.csrfToken, .init(
                applicationName: appName, resourceName: resource?.displayName ?? authorization.resource, scopes: scopes,
                organization: tenant.name, tenantID: tenant.id, startedAt: authorization.createdAt,
                startedFrom: authorization.requestAddress, userPrincipalName: user.userPrincipalName), notice: notice))
        case .askSecondFactor(let userPrincipalName, _):
            return page(SignInTemplates.oneTimeCode(action: DeviceLoginTemplates.action, csrf: session.csrfToken,
                                                    organization: tenant.name, userPrincipalName: userPrincipalName,
                                                    notice: notice, cancel: back, extraForms: backForm))
        case .askPassword(let failure):
            let shown = failure.map { SignInTemplates.message(for: PageSupport.noticeKey(for: $0, secondFactor: false)) } ?? notice
            return page(SignInTemplates.password(action: DeviceLoginTemplates.action, csrf: session.csrfToken,
                                                 organization: tenant.name, appName: appName, loginHint: nil, notice: shown,
                                                 cancel: back, extraForms: backForm))
        }
    }

    /// The sign-in as ``InteractiveSignIn`` sees it. Its correlation id is the one the client's
    /// `/devicecode` request carried, so the client's id finds the page's failures in the log.
    private static func attempt(_ authorization: DeviceAuthorization, tenant: Tenant, client: IdentityCore.Application?,
                                resource: IdentityCore.Application?, request: Request, address: String) -> InteractiveSignIn.Attempt {
        let application = client ?? Application(tenantID: tenant.id, appID: authorization.clientID, objectID: "",
                                                displayName: authorization.clientID, createdAt: authorization.createdAt)
        return InteractiveSignIn.Attempt(tenant: tenant, client: application, resource: resource, flow: .deviceCode,
                                         clientAddress: address, userAgent: request.headers[.userAgent],
                                         correlationID: authorization.correlationID ?? UUID().uuidString.lowercased())
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
        case "password", "otp":
            guard let (_, attempt) = try await currentFlow(&session, request: request, address: address) else { break }
            let secondFactor = fields["step"] == "otp"
            let step = secondFactor
                ? try await interactiveSignIn.submitSecondFactor(attempt, code: fields["otp"] ?? "", session: &session)
                : try await interactiveSignIn.submitPassword(attempt, userPrincipalName: fields["username"] ?? "",
                                                                    password: fields["password"] ?? "", session: &session)
            if case .askPassword(let failure?) = step {
                session.notice = PageSupport.noticeKey(for: failure, secondFactor: false)
            } else if case .askSecondFactor(_, let failure?) = step {
                session.notice = PageSupport.noticeKey(for: failure, secondFactor: secondFactor)
            }
        case "confirm":
            try await confirm(approve: fields["action"] == "continue", session: &session, request: request, address: address)
        case "restart":
            session.deviceUserCode = nil
            session.pendingSecondFactor = nil
        case "signout":
            interactiveSignIn.signOut(session: &session)
        default:
            return support.badRequest(title: "We couldn't read that form", message: "Go back and try again.")
        }
        return PageResponse.seeOther(DeviceLoginTemplates.action, cookie: support.cookie.header(session, now: now))
    }

    private func enterCode(_ input: String, session: inout BrowserSession, address: String) async throws {
        if try await signInThrottle.userCodeEntryBlocked(sessionID: session.id, address: address) {
            session.notice = "code-blocked"
            await audit.record("device.code-entry", tenantID: nil, outcome: "failure", sourceAddress: address,
                                      details: ["reason": "blocked"])
            return
        }
        guard let authorization = try await deviceFlow.pendingAuthorization(userCode: input) else {
            try await signInThrottle.recordUserCodeFailure(sessionID: session.id, address: address)
            await audit.record("device.code-entry", tenantID: nil, outcome: "failure", sourceAddress: address,
                                      details: ["reason": "unknown or expired code"])
            session.notice = "code-invalid"
            return
        }
        session.deviceUserCode = authorization.userCode
        session.pendingSecondFactor = nil
    }

    /// The flow the session is approving, still pending, and the sign-in it asks for.
    private func currentFlow(_ session: inout BrowserSession, request: Request,
                             address: String) async throws -> (DeviceAuthorization, InteractiveSignIn.Attempt)? {
        guard let code = session.deviceUserCode,
              let authorization = try await deviceFlow.pendingAuthorization(userCode: code),
              let tenant = try await directory.tenant(authorization.tenantID) else {
            session.deviceUserCode = nil
            session.pendingSecondFactor = nil
            session.notice = "code-expired"
            return nil
        }
        let client = try await directory.client(tenantID: tenant.id, clientID: authorization.clientID)
        let resource = try await directory.resource(tenantID: tenant.id, identifier: authorization.resource)
        return (authorization, Self.attempt(authorization, tenant: tenant, client: client?.application, resource: resource,
                                            request: request, address: address))
    }

    /// Continue or Cancel on the confirmation page. The browser's sign-in goes through the
    /// decision again: a user disabled (or signed out everywhere) since the page was shown
    /// cannot approve.
    private func confirm(approve: Bool, session: inout BrowserSession, request: Request, address: String) async throws {
        guard let (authorization, attempt) = try await currentFlow(&session, request: request, address: address) else { return }
        let tenant = attempt.tenant
        guard case .signedIn(let user, let signedIn) = try await interactiveSignIn.resume(attempt, session: &session) else {
            session.notice = "session"
            return
        }
        let appName = attempt.client.displayName
        let decided: Bool
        if approve {
            decided = try await deviceFlow.approve(
                userCode: authorization.userCode, user: user, methods: signedIn.methods,
                authenticatedAt: Date(timeIntervalSince1970: TimeInterval(signedIn.authenticatedAt)))
        } else {
            decided = try await deviceFlow.decline(userCode: authorization.userCode, userObjectID: user.objectID)
        }
        guard decided else {
            session.deviceUserCode = nil
            session.notice = "code-expired"
            return
        }
        await audit.record(approve ? "device.approved" : "device.declined", tenantID: tenant.id,
                                  outcome: approve ? "success" : "failure", actor: user.objectID, subject: user.objectID,
                                  clientID: authorization.clientID, sourceAddress: address,
                                  details: ["startedFrom": authorization.requestAddress, "resource": authorization.resource])
        session.deviceUserCode = nil
        session.completion = "\(approve ? "approved" : "declined")|\(appName)"
    }
}
