import Foundation
import HTTPTypes
import Hummingbird
import IdentityCore
import OAuthProtocol

/// What the page routes share: the session cookie, CSRF and origin checks, and the 403 page.
struct PageSupport {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    let cookie: SessionCookie
    let clock: any IdentityClock
    /// kubeid's own origin, the only one a page's form may be posted from.
    let origin: String?

    init(issuer: Issuer) {
        cookie = SessionCookie(codec: issuer.browserSessions, lifetime: issuer.configuration.browserSessionLifetime)
        clock = issuer.clock
        origin = PageResponse.origin(of: issuer.urls.baseURL)
    }

    var now: Date { clock.now() }

    /// A POST is accepted only with the session's CSRF token in the form and, when the browser
    /// sends `Origin`, from kubeid's own origin (CSRF defence, RFC 9700 §4.7).
    func isTrustedPost(_ request: Request, session: BrowserSession?, fields: [String: String]) -> Bool {
        guard let session, session.acceptsCSRFToken(fields["csrf"]) else { return false }
        // Browsers send `Origin: null` for form posts from a `Referrer-Policy: no-referrer`
        // page, so the origin check accepts that; `Sec-Fetch-Site` still names cross-site posts.
        if let origin = request.headers[.origin], origin != "null", origin != self.origin {
            return false
        }
        if let site = request.headers[Self.secFetchSite], site != "same-origin" {
            return false
        }
        return true
    }

    func forbidden() -> Response {
        PageResponse.html(AuthorizeTemplates.error(
            title: "We couldn't complete that request",
            message: "Your sign-in session expired, or the request didn't come from this page. Go back, reload the page and try again."),
                          status: .forbidden)
    }

    func badRequest(title: String, message: String) -> Response {
        PageResponse.html(AuthorizeTemplates.error(title: title, message: message), status: .badRequest)
    }

    /// The notice key for a refused sign-in step: a wrong code on the TOTP form says so; other
    /// refusals name their reason, and anything else reads as wrong credentials (never saying
    /// whether the account exists).
    static func noticeKey(for error: OAuthError, secondFactor: Bool) -> String {
        switch error {
        case .accountLocked: return "locked"
        case .userDisabled: return "disabled"
        case .signInSessionExpired: return "session"
        case .signInSessionsRevoked(issued: "", validFrom: ""): return "session"
        case .invalidUsernameOrPassword where secondFactor: return "otp"
        default: return "credentials"
        }
    }
}
