import OAuthProtocol

/// What the access policy says about a sign-in whose credentials checked out.
public enum SignInDecision: Sendable, Equatable {
    /// Issue the token (or finish the page).
    case allow
    /// Refused; the error carries Entra's code (50057 disabled, 50053 locked, ...).
    case block(OAuthError)
    /// The user must also prove a second factor. Pages ask for the TOTP code; a grant that
    /// cannot ask answers with the error (50076).
    case requireSecondFactor(OAuthError)
    /// What the sign-in rests on is no longer good enough (sessions revoked after it): sign in
    /// again. Pages show the password form; grants answer with the error.
    case requireReauthentication(OAuthError)

    /// The error a non-interactive caller (the token endpoint) answers with, nil for ``allow``.
    public var error: OAuthError? {
        switch self {
        case .allow: return nil
        case .block(let error), .requireSecondFactor(let error), .requireReauthentication(let error): return error
        }
    }
}
