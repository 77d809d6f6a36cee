import OAuthProtocol

/// How the authorization response travels back (OAuth 2.0 Multiple Response Types; form_post).
public enum ResponseMode: String, Sendable {
    case query
    /// An auto-submitting HTML form (what MSAL Python's loopback listener requires).
    case formPost = "form_post"
}

/// Where and how an `/authorize` answer (success or error) goes once the client and redirect
/// URI are known to be good.
public struct AuthorizationReply: Sendable, Equatable {
    public var redirectURI: String
    public var responseMode: ResponseMode
    /// The parameters: `code`, `state`, `iss`, `client_info` — or `error`, `error_description`, `state`, `iss`.
    public var parameters: [(String, String)]

    public static func == (lhs: AuthorizationReply, rhs: AuthorizationReply) -> Bool {
        lhs.redirectURI == rhs.redirectURI && lhs.responseMode == rhs.responseMode
            && lhs.parameters.map { "\($0.0)=\($0.1)" } == rhs.parameters.map { "\($0.0)=\($0.1)" }
    }

    public func value(_ name: String) -> String? { parameters.first { $0.0 == name }?.1 }
}

/// A refused `/authorize` request.
public enum AuthorizationFailure: Error, Sendable {
    /// Unknown tenant, unknown client or a redirect URI that is not registered: shown on a page
    /// and never redirected (RFC 9700 §4.11, open redirection).
    case page(title: String, message: String)
    /// Anything else: sent back to the (verified) redirect URI as `error`/`error_description`.
    case redirect(AuthorizationReply)
}

/// A validated `/authorize` request (authorization code + PKCE).
public struct AuthorizationRequest: Sendable {
    public var tenant: Tenant
    public var version: EndpointVersion
    public var client: Application
    public var redirectURI: String
    public var responseMode: ResponseMode
    public var state: String?
    public var nonce: String?
    public var scope: UserScope
    public var resource: Application
    public var codeChallenge: String?
    /// `prompt` (`login`, `none`, `select_account`, `consent`) as sent.
    public var prompt: String?
    /// `login_hint`: pre-fills the user name.
    public var loginHint: String?
    /// RFC 9207 `iss`: the issuer the client discovered for this endpoint version.
    public var issuer: String

    /// An error reply to the client's redirect URI.
    public func error(_ error: String, _ description: String) -> AuthorizationReply {
        var parameters = [("error", error), ("error_description", description)]
        if let state { parameters.append(("state", state)) }
        parameters.append(("iss", issuer))
        return AuthorizationReply(redirectURI: redirectURI, responseMode: responseMode, parameters: parameters)
    }
}
