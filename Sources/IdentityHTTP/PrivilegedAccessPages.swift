import Foundation
import Hummingbird
import IdentityCore
import Logging
import OAuthProtocol

/// `/pim`: a person's own privileged access to groups (PIM for groups): the groups they are
/// eligible for and what each gives on the clusters, activation with a duration and a
/// justification, their active assignments with Deactivate, and requests pending approval with
/// Cancel. Signed in through the same ``InteractiveSignIn`` as `/devicelogin` (session cookie,
/// CSRF token, the TOTP step); every change goes through ``PrivilegedAccess``, whose refusals
/// are shown on the page. The organisation is `?tenant=` (id or name), else the session's.
struct PrivilegedAccessPages {
    /// The application the page's sign-ins name: Entra's PIM lives in the Azure portal.
    static let portalAppID = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"
    static let portalName = "Privileged access"

    let privilegedAccess: PrivilegedAccess
    let directory: DirectoryView
    let store: any ClusterStore & RoleAssignmentStore & GroupStore
    let interactiveSignIn: InteractiveSignIn
    let support: PageSupport
    let logger: Logger

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/pim") { request, context in
            try await show(request, address: context.remoteAddress)
        }
        router.post("/pim") { request, context in
            try await submit(request, address: context.remoteAddress)
        }
    }

    // MARK: GET

    private func show(_ request: Request, address: String) async throws -> Response {
        let now = support.now
        var session = support.cookie.readOrCreate(request, now: now)
        let notice = PrivilegedAccessTemplates.message(for: session.notice)
        session.notice = nil
        func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
            PageResponse.html(html, status: status, cookie: support.cookie.header(session, now: now))
        }
        guard let reference = Self.tenantReference(request, session: session) else {
            return page(PrivilegedAccessTemplates.chooseOrganization(notice: nil))
        }
        guard let tenant = try await directory.tenant(reference) else {
            return page(PrivilegedAccessTemplates.chooseOrganization(
                notice: "We couldn't find that organization. Check the name and try again."), status: .notFound)
        }
        let action = PrivilegedAccessTemplates.action(tenantID: tenant.id)
        switch try await interactiveSignIn.resume(attempt(tenant, request: request, address: address), session: &session) {
        case .signedIn(let user, let signedIn):
            let overview = try await overview(tenant: tenant, user: user, methods: signedIn.methods)
            return page(PrivilegedAccessTemplates.overview(overview, csrf: session.csrfToken, notice: notice))
        case .askSecondFactor(let userPrincipalName, _):
            return page(SignInTemplates.oneTimeCode(action: action, csrf: session.csrfToken, organization: tenant.name,
                                                    userPrincipalName: userPrincipalName, notice: notice.map(\.text),
                                                    cancel: .empty, extraForms: .empty))
        case .askPassword(let failure):
            let shown = failure.map { SignInTemplates.message(for: PageSupport.noticeKey(for: $0, secondFactor: false)) }
                ?? notice.map(\.text)
            return page(SignInTemplates.password(action: action, csrf: session.csrfToken, organization: tenant.name,
                                                 appName: Self.portalName, loginHint: nil, notice: shown,
                                                 cancel: .empty, extraForms: .empty))
        }
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
        guard let reference = Self.tenantReference(request, session: session),
              let tenant = try await directory.tenant(reference) else {
            return PageResponse.seeOther("/pim", cookie: support.cookie.header(session, now: now))
        }
        let attempt = attempt(tenant, request: request, address: address)
        switch fields["step"] {
        case "password", "otp":
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
        case "activate", "deactivate", "cancel":
            // The browser's sign-in goes through the decision again: a user disabled (or
            // signed out everywhere) since the page was shown cannot act.
            guard case .signedIn(let user, let signedIn) = try await interactiveSignIn.resume(attempt, session: &session) else {
                session.notice = "session"
                break
            }
            do {
                session.notice = try await act(fields, tenant: tenant, user: user, methods: signedIn.methods)
            } catch let error as GraphError {
                // A refusal (policy rule, not eligible, already active...) is shown on the page,
                // with what the person typed kept.
                let overview = try await overview(tenant: tenant, user: user, methods: signedIn.methods)
                return PageResponse.html(PrivilegedAccessTemplates.overview(
                    overview, csrf: session.csrfToken, notice: .init(text: error.message, kind: "error"),
                    draft: .init(fields)), cookie: support.cookie.header(session, now: now))
            }
        case "signout":
            interactiveSignIn.signOut(session: &session)
        default:
            return support.badRequest(title: "We couldn't read that form", message: "Go back and try again.")
        }
        return PageResponse.seeOther(PrivilegedAccessTemplates.action(tenantID: tenant.id),
                                     cookie: support.cookie.header(session, now: now))
    }

    /// Carries out one button: the notice key for the page it redirects to.
    private func act(_ fields: [String: String], tenant: Tenant, user: User, methods: [String]) async throws -> String {
        let caller = PrivilegedAccessCaller(requestor: .init(kind: .user, objectID: user.objectID), isAdministrator: false,
                                            authenticationMethods: methods,
                                            actor: .principal(objectID: user.objectID, clientID: Self.portalAppID))
        let groupID = fields["group"] ?? ""
        guard let access = PrivilegedAccessSchedule.Access(rawValue: fields["access"] ?? "member") else {
            throw GraphError.badRequest("Choose member or owner access.")
        }
        switch fields["step"] {
        case "activate":
            guard let duration = PrivilegedAccessDuration.parse(fields["duration"] ?? "") else {
                throw GraphError.badRequest("Choose how long you need the access.")
            }
            let request = try await privilegedAccess.submit(PrivilegedAccessSubmission(
                kind: .assignment, action: .selfActivate, groupID: groupID, principalID: user.objectID, access: access,
                justification: fields["justification"], expiration: .afterDuration, duration: duration),
                tenantID: tenant.id, by: caller)
            return request.status == .pendingApproval ? "pim-pending" : "pim-activated"
        case "deactivate":
            _ = try await privilegedAccess.submit(PrivilegedAccessSubmission(
                kind: .assignment, action: .selfDeactivate, groupID: groupID, principalID: user.objectID, access: access),
                tenantID: tenant.id, by: caller)
            return "pim-deactivated"
        default:
            _ = try await privilegedAccess.cancel(requestID: fields["request"] ?? "", tenantID: tenant.id, by: caller)
            return "pim-cancelled"
        }
    }

    // MARK: Reading

    /// Everything the page shows for the signed-in user.
    private func overview(tenant: Tenant, user: User, methods: [String]) async throws -> PrivilegedAccessTemplates.Overview {
        let now = support.now
        let eligibilities = try await privilegedAccess.eligibilities(tenantID: tenant.id, userID: user.objectID)
        let active = try await privilegedAccess.liveSchedules(tenantID: tenant.id, kind: .assignment)
            .filter { $0.principalID == user.objectID && $0.isActive(at: now) }
        let pending = try await privilegedAccess.requests(tenantID: tenant.id, kind: .assignment)
            .filter { $0.principalID == user.objectID && $0.status == .pendingApproval }
        let groupIDs = Set(eligibilities.map(\.groupID) + active.map(\.groupID) + pending.map(\.groupID))
        var names: [String: String] = [:]
        for id in groupIDs { names[id] = try await store.group(tenantID: tenant.id, objectID: id)?.displayName }
        let clusters = try await GroupClusterAccess.lookup(in: store, tenantID: tenant.id, groupIDs: groupIDs)
        func name(_ id: String) -> String { names[id] ?? id }

        // One card per group and access; of several eligibilities (own, through a group) the
        // one lasting longest.
        var seen: [String: PrivilegedAccessSchedule] = [:]
        for schedule in eligibilities {
            let key = "\(schedule.groupID)|\(schedule.access.rawValue)"
            if let kept = seen[key], (kept.endsAt ?? .distantFuture) >= (schedule.endsAt ?? .distantFuture) { continue }
            seen[key] = schedule
        }
        var eligible: [PrivilegedAccessTemplates.EligibleGroup] = []
        for schedule in seen.values {
            let policy = try await privilegedAccess.policy(tenantID: tenant.id, groupID: schedule.groupID, access: schedule.access)
            let activeEnd = active.first { $0.groupID == schedule.groupID && $0.access == schedule.access }.map { $0.endsAt }
            eligible.append(.init(groupID: schedule.groupID, name: name(schedule.groupID), access: schedule.access,
                                  eligibleUntil: schedule.endsAt, policy: policy, clusters: clusters[schedule.groupID] ?? [],
                                  isActive: activeEnd != nil, activeUntil: activeEnd ?? nil,
                                  isPending: pending.contains { $0.groupID == schedule.groupID && $0.access == schedule.access }))
        }
        eligible.sort { ($0.name.lowercased(), $0.access.rawValue) < ($1.name.lowercased(), $1.access.rawValue) }
        return PrivilegedAccessTemplates.Overview(
            organization: tenant.name, tenantID: tenant.id, displayName: user.displayName,
            userPrincipalName: user.userPrincipalName, hasMultiFactor: methods.contains("mfa"), eligible: eligible,
            active: active.sorted { ($0.endsAt ?? .distantFuture) < ($1.endsAt ?? .distantFuture) }.map {
                .init(groupID: $0.groupID, name: name($0.groupID), access: $0.access, startsAt: $0.startsAt, endsAt: $0.endsAt,
                      isActivation: $0.assignmentType == .activated, clusters: clusters[$0.groupID] ?? [])
            },
            pending: pending.sorted { $0.createdAt < $1.createdAt }.map {
                .init(id: $0.id, groupID: $0.groupID, name: name($0.groupID), access: $0.access, requestedAt: $0.createdAt,
                      duration: $0.schedule.length, justification: $0.justification)
            })
    }

    /// The sign-in as ``InteractiveSignIn`` sees it: a browser sign-in to the portal application.
    private func attempt(_ tenant: Tenant, request: Request, address: String) -> InteractiveSignIn.Attempt {
        let portal = Application(tenantID: tenant.id, appID: Self.portalAppID, objectID: "", displayName: Self.portalName,
                                 createdAt: Date(timeIntervalSince1970: 0))
        return InteractiveSignIn.Attempt(tenant: tenant, client: portal, resource: nil, flow: .authorizationCode,
                                         clientAddress: address, userAgent: request.headers[.userAgent],
                                         correlationID: UUID().uuidString.lowercased())
    }

    /// `?tenant=` (id or name), else the tenant the session is signed in to (or half-way through).
    private static func tenantReference(_ request: Request, session: BrowserSession) -> String? {
        if let named = (try? FormRequest.query(request))?["tenant"], !named.isEmpty { return named }
        return session.user?.tenantID ?? session.pendingSecondFactor?.tenantID
    }
}
