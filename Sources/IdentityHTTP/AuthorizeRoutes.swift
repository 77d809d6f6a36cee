import Foundation
import Hummingbird
import IdentityCore
import Logging
import OAuthProtocol

/// The authorization endpoint, v2 and v1 (PROTOCOL.md §3.6): authorization code + PKCE with
/// `response_mode` query or form_post. Problems with the client or the redirect URI are shown on
/// a page and never redirected; everything else goes back to the verified redirect URI with
/// `state` and `iss` (RFC 9207). The sign-in form posts to the same URL (the query string
/// carries the request), so no server-side state is needed between the steps.
struct AuthorizeRoutes {
    let issuer: Issuer
    let logger: Logger
    private var support: PageSupport { PageSupport(issuer: issuer) }

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
            return .success(try await issuer.authorize.validate(tenantSegment: try context.parameters.require("tenant"),
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
        let tenant = authorization.tenant
        let forceSignIn = authorization.prompt == "login" || authorization.prompt == "select_account"
        if !forceSignIn, let signedIn = session.user(in: tenant.id, now: now, maximumAge: issuer.configuration.browserSessionLifetime),
           let user = try await issuer.store.user(tenantID: tenant.id, objectID: signedIn.objectID), user.accountEnabled {
            // Single sign-on: the browser already signed in to this organisation.
            let reply = try await issuer.authorize.issueCode(
                for: authorization, user: user, authenticatedAt: Date(timeIntervalSince1970: TimeInterval(signedIn.authenticatedAt)),
                methods: signedIn.methods, address: context.remoteAddress)
            return respond(reply, cookie: support.cookie.header(session, now: now))
        }
        if authorization.prompt == "none" {
            return respond(authorization.error("login_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in."),
                           cookie: nil)
        }
        let notice = SignInTemplates.message(for: session.notice)
        session.notice = nil
        let action = Self.action(request)
        let cancel = AuthorizeTemplates.cancel(action: action, csrf: session.csrfToken)
        let cancelForm = AuthorizeTemplates.cancelForm(action: action, csrf: session.csrfToken)
        let html: String
        if let pending = session.pendingSecondFactor, pending.tenantID == tenant.id,
           now.timeIntervalSince1970 - Double(pending.authenticatedAt) < 300 {
            html = SignInTemplates.oneTimeCode(action: action, csrf: session.csrfToken, organization: tenant.name,
                                               userPrincipalName: pending.userPrincipalName, notice: notice,
                                               cancel: cancel, extraForms: cancelForm)
        } else {
            html = SignInTemplates.password(action: action, csrf: session.csrfToken, organization: tenant.name,
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
        let tenant = authorization.tenant
        let address = context.remoteAddress
        let outcome: SignInOutcome
        switch fields["step"] {
        case "cancel":
            session.pendingSecondFactor = nil
            return respond(authorization.error("access_denied", "AADSTS65004: The user declined to sign in to the application."),
                           cookie: support.cookie.header(session, now: now))
        case "password":
            outcome = try await issuer.signIn.verifyPassword(tenant: tenant, userPrincipalName: fields["username"] ?? "",
                                                             password: fields["password"] ?? "", address: address,
                                                             clientID: authorization.client.appID)
        case "otp":
            guard let pending = session.pendingSecondFactor, pending.tenantID == tenant.id else {
                session.notice = "session"
                return PageResponse.seeOther(Self.action(request), cookie: support.cookie.header(session, now: now),
                                             formTargets: Self.formTargets(authorization))
            }
            outcome = try await issuer.signIn.verifySecondFactor(tenant: tenant, userObjectID: pending.objectID,
                                                                 code: fields["otp"] ?? "", address: address,
                                                                 clientID: authorization.client.appID)
        default:
            return support.badRequest(title: "We couldn't read that form", message: "Go back and try again.")
        }
        let nowSeconds = Int(now.timeIntervalSince1970)
        switch outcome {
        case .signedIn(let user, let methods):
            session.user = .init(tenantID: tenant.id, objectID: user.objectID, userPrincipalName: user.userPrincipalName,
                                 authenticatedAt: nowSeconds, methods: methods)
            session.pendingSecondFactor = nil
            let reply = try await issuer.authorize.issueCode(for: authorization, user: user, authenticatedAt: now,
                                                             methods: methods, address: address)
            return respond(reply, cookie: support.cookie.header(session, now: now))
        case .needsSecondFactor(let user):
            session.pendingSecondFactor = .init(tenantID: tenant.id, objectID: user.objectID,
                                                userPrincipalName: user.userPrincipalName, authenticatedAt: nowSeconds,
                                                methods: ["pwd"])
        case .failed(let error):
            session.notice = fields["step"] == "otp" && error.code == 50126 ? "otp" : PageSupport.noticeKey(for: error.code)
        }
        return PageResponse.seeOther(Self.action(request), cookie: support.cookie.header(session, now: now),
                                     formTargets: Self.formTargets(authorization))
    }

    // MARK: Replies

    /// Sends the reply the way the client asked: a 303 to the redirect URI with the parameters
    /// in the query, or an auto-submitting form_post page.
    private func respond(_ reply: AuthorizationReply, cookie: String?) -> Response {
        let targets = PageResponse.origin(of: reply.redirectURI).map { [$0] } ?? []
        switch reply.responseMode {
        case .query:
            let query = FormEncodingText.encode(reply.parameters)
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

/// `application/x-www-form-urlencoded` for query strings.
enum FormEncodingText {
    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
