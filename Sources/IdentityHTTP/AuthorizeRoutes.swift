import Foundation
import Hummingbird
import IdentityCore
import Logging
import OAuthProtocol

/// The authorization endpoint, v2 and v1 (docs/compatibility.md, User grants): authorization code +
/// PKCE with `response_mode` query or form_post. Problems with the client or the redirect URI are
/// shown on a page and never redirected; everything else goes back to the verified redirect URI
/// with `state` and `iss` (RFC 9207). The sign-in form posts to the same URL (the query string
/// carries the request), so no server-side state is needed between the steps.
struct AuthorizeRoutes {
    let authorize: AuthorizeEndpoint
    let interactiveSignIn: InteractiveSignIn
    let support: PageSupport
    let logger: Logger

    func register(on router: Router<IdentityRequestContext>) {
        for (path, version) in [("/{tenant}/oauth2/v2.0/authorize", EndpointVersion.v2), ("/{tenant}/oauth2/authorize", .v1)] {
            router.get(RouterPath(stringLiteral: path)) { request, context in
                try await show(request, context, version: version)
            }
            router.post(RouterPath(stringLiteral: path)) { request, context in
                try await submit(request, context, version: version)
            }
        }
    }

    private enum Validated {
        case success(AuthorizationRequest)
        case failure(Response)
    }

    /// Validates the query; a failure becomes the page or redirect it calls for.
    private func validate(_ request: Request, _ context: IdentityRequestContext,
                          version: EndpointVersion) async throws -> Validated {
        let parameters: [String: String]
        do {
            parameters = try FormRequest.query(request)
        } catch {
            return .failure(support.badRequest(title: "We couldn't read that sign-in request",
                                               message: "The request has malformed or repeated parameters."))
        }
        do {
            return .success(try await authorize.validate(tenantSegment: try context.parameters.require("tenant"),
                                                                version: version, parameters: parameters))
        } catch AuthorizationFailure.page(let title, let message) {
            return .failure(support.badRequest(title: title, message: message))
        } catch AuthorizationFailure.redirect(let reply) {
            return .failure(respond(reply, cookie: nil))
        }
    }

    // MARK: GET

    private func show(_ request: Request, _ context: IdentityRequestContext, version: EndpointVersion) async throws -> Response {
        let authorization: AuthorizationRequest
        switch try await validate(request, context, version: version) {
        case .failure(let response): return response
        case .success(let validated): authorization = validated
        }
        let now = support.now
        var session = support.cookie.readOrCreate(request, now: now)
        let forceSignIn = authorization.prompt == "login" || authorization.prompt == "select_account"
        let attempt = Self.attempt(authorization, request, context)
        var step = try await interactiveSignIn.resume(attempt, session: &session, forceLogin: forceSignIn)
        if case .signedIn(let user, let signedIn) = step {
            // Single sign-on: the browser already signed in to this organisation, and the
            // decision still allows it.
            let reply = try await authorize.issueCode(
                for: authorization, user: user, authenticatedAt: Date(timeIntervalSince1970: TimeInterval(signedIn.authenticatedAt)),
                methods: signedIn.methods, address: context.remoteAddress)
            return respond(reply, cookie: support.cookie.header(session, now: now))
        }
        if authorization.prompt == "none" {
            return respond(authorization.error("login_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in."),
                           cookie: support.cookie.header(session, now: now))
        }
        if case .askPassword(let failure?) = step {
            session.notice = PageSupport.noticeKey(for: failure, secondFactor: false)
            step = .askPassword(failure: nil)
        }
        let notice = SignInTemplates.message(for: session.notice)
        session.notice = nil
        let action = Self.action(request)
        let cancel = AuthorizeTemplates.cancel(action: action, csrf: session.csrfToken)
        let cancelForm = AuthorizeTemplates.cancelForm(action: action, csrf: session.csrfToken)
        let html: String
        if case .askSecondFactor(let userPrincipalName, _) = step {
            html = SignInTemplates.oneTimeCode(action: action, csrf: session.csrfToken, organization: authorization.tenant.name,
                                               userPrincipalName: userPrincipalName, notice: notice,
                                               cancel: cancel, extraForms: cancelForm)
        } else {
            html = SignInTemplates.password(action: action, csrf: session.csrfToken, organization: authorization.tenant.name,
                                            appName: authorization.client.displayName, loginHint: authorization.loginHint,
                                            notice: notice, cancel: cancel, extraForms: cancelForm)
        }
        return PageResponse.html(html, cookie: support.cookie.header(session, now: now),
                                 formTargets: Self.formTargets(authorization))
    }

    // MARK: POST

    private func submit(_ request: Request, _ context: IdentityRequestContext, version: EndpointVersion) async throws -> Response {
        let authorization: AuthorizationRequest
        switch try await validate(request, context, version: version) {
        case .failure(let response): return response
        case .success(let validated): authorization = validated
        }
        let now = support.now
        let fields: [String: String]
        do {
            fields = try await FormRequest.body(request)
        } catch {
            return support.badRequest(title: "We couldn't read that form", message: "Go back and try again.")
        }
        guard var session = support.cookie.read(request, now: now),
              support.isTrustedPost(request, session: session, fields: fields) else { return support.forbidden() }
        let attempt = Self.attempt(authorization, request, context)
        let step: InteractiveSignIn.Step
        switch fields["step"] {
        case "cancel":
            session.pendingSecondFactor = nil
            return respond(authorization.error("access_denied", "AADSTS65004: The user declined to sign in to the application."),
                           cookie: support.cookie.header(session, now: now))
        case "password":
            step = try await interactiveSignIn.submitPassword(
                attempt, userPrincipalName: fields["username"] ?? "", password: fields["password"] ?? "", session: &session)
        case "otp":
            step = try await interactiveSignIn.submitSecondFactor(attempt, code: fields["otp"] ?? "", session: &session)
        default:
            return support.badRequest(title: "We couldn't read that form", message: "Go back and try again.")
        }
        switch step {
        case .signedIn(let user, let signedIn):
            let reply = try await authorize.issueCode(
                for: authorization, user: user, authenticatedAt: Date(timeIntervalSince1970: TimeInterval(signedIn.authenticatedAt)),
                methods: signedIn.methods, address: context.remoteAddress)
            return respond(reply, cookie: support.cookie.header(session, now: now))
        case .askSecondFactor(_, let failure), .askPassword(let failure):
            if let failure { session.notice = PageSupport.noticeKey(for: failure, secondFactor: fields["step"] == "otp") }
        }
        return PageResponse.seeOther(Self.action(request), cookie: support.cookie.header(session, now: now),
                                     formTargets: Self.formTargets(authorization))
    }

    /// The sign-in as ``InteractiveSignIn`` sees it; each `/authorize` request is its own
    /// correlation id (browsers send none).
    private static func attempt(_ authorization: AuthorizationRequest, _ request: Request,
                                _ context: IdentityRequestContext) -> InteractiveSignIn.Attempt {
        InteractiveSignIn.Attempt(tenant: authorization.tenant, client: authorization.client, resource: authorization.resource,
                                  flow: .authorizationCode, clientAddress: context.remoteAddress,
                                  userAgent: request.headers[.userAgent], correlationID: UUID().uuidString.lowercased())
    }

    // MARK: Replies

    /// Sends the reply the way the client asked: a 303 to the redirect URI with the parameters
    /// in the query, or an auto-submitting form_post page.
    private func respond(_ reply: AuthorizationReply, cookie: String?) -> Response {
        let targets = PageResponse.origin(of: reply.redirectURI).map { [$0] } ?? []
        switch reply.responseMode {
        case .query:
            let query = FormURLEncoding.encode(reply.parameters)
            let separator = reply.redirectURI.contains("?") ? "&" : "?"
            return PageResponse.seeOther(reply.redirectURI + separator + query, cookie: cookie, formTargets: targets)
        case .formPost:
            let nonce = PageResponse.nonce()
            return PageResponse.html(AuthorizeTemplates.formPost(redirectURI: reply.redirectURI, parameters: reply.parameters,
                                                                 nonce: nonce),
                                     cookie: cookie, formTargets: targets, scriptNonce: nonce)
        }
    }

    /// Forms may post to kubeid and be redirected on to the client's redirect URI.
    private static func formTargets(_ authorization: AuthorizationRequest) -> [String] {
        PageResponse.origin(of: authorization.redirectURI).map { [$0] } ?? []
    }

    /// The page's own URL (path and query), where its forms post.
    private static func action(_ request: Request) -> String {
        let query = request.uri.query.map { "?\($0)" } ?? ""
        return request.uri.path + query
    }
}
