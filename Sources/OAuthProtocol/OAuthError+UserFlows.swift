/// Errors of the user sign-in flows (device code, authorization code, refresh, password),
/// with Entra's codes (docs/compatibility.md, Error codes).
extension OAuthError {
    // MARK: Device code polling (RFC 8628 §3.5; all HTTP 400)

    /// AADSTS70016: the user has not finished yet; keep polling.
    public static let authorizationPending = OAuthError(
        error: "authorization_pending", code: 70016,
        message: "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")

    /// RFC 8628 `slow_down`: poll less often (the interval grew by 5 seconds).
    public static func slowDown(interval: Int) -> OAuthError {
        OAuthError(error: "slow_down", code: 70016,
                   message: "OAuth 2.0 device flow error. Polling too frequently; wait at least \(interval) seconds between requests.")
    }

    /// AADSTS70020: the device code expired (v2 `expired_token`, v1/ADAL `code_expired`).
    public static func deviceCodeExpired(v1: Bool) -> OAuthError {
        OAuthError(error: v1 ? "code_expired" : "expired_token", code: 70020,
                   message: "The provided value for the input parameter 'device_code' is not valid. This device code has expired.")
    }

    /// The user clicked Cancel (v2 `authorization_declined`, v1/ADAL `access_denied`).
    public static func deviceAuthorizationDeclined(v1: Bool) -> OAuthError {
        OAuthError(error: v1 ? "access_denied" : "authorization_declined", code: 70000,
                   message: "The end user declined the authorization request.")
    }

    /// AADSTS70018: the device code is unknown.
    public static let badVerificationCode = OAuthError(
        error: "bad_verification_code", code: 70018,
        message: "The provided value for the input parameter 'device_code' is not valid.")

    /// AADSTS90120: the device code was already redeemed.
    public static let deviceCodeAlreadyUsed = OAuthError(
        error: "invalid_grant", code: 90120,
        message: "InvalidDeviceFlowRequest: The request was already authorized or declined, and its device code has been used.")

    /// A device code presented by another client than the one it was issued to (RFC 8628 §3.4).
    public static let deviceCodeClientMismatch = OAuthError(
        error: "invalid_grant", code: 70000,
        message: "The provided value for the input parameter 'device_code' is not valid for this client.")

    // MARK: Users

    /// AADSTS50126: wrong user name or password (also for an unknown user: never say which).
    public static let invalidUsernameOrPassword = OAuthError(
        error: "invalid_grant", code: 50126,
        message: "Error validating credentials due to invalid username or password.")

    /// AADSTS50057: the user is disabled.
    public static let userDisabled = OAuthError(
        error: "invalid_grant", code: 50057,
        message: "The user account is disabled.")

    /// AADSTS50053: too many failed sign-ins; locked for a while.
    public static let accountLocked = OAuthError(
        error: "invalid_grant", code: 50053,
        message: "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password.")

    /// AADSTS50076 with `suberror: basic_action`: the user has a second factor, which this
    /// grant cannot ask for (ROPC).
    public static let multiFactorRequired = OAuthError(
        error: "invalid_grant", code: 50076,
        message: "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.",
        suberror: "basic_action")

    // MARK: Refresh tokens

    /// AADSTS700082: unused for longer than the inactivity limit.
    public static func refreshTokenInactive(issued: String, inactiveDays: Int) -> OAuthError {
        OAuthError(error: "invalid_grant", code: 700082,
                   message: "The refresh token has expired due to inactivity. The token was issued on \(issued) and was inactive for \(inactiveDays) days.")
    }

    /// AADSTS50173: the refresh token (or its whole family) was revoked.
    public static let refreshTokenRevoked = OAuthError(
        error: "invalid_grant", code: 50173,
        message: "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password, or the token was reused.")

    /// AADSTS9002313: not a refresh token kubeid issued.
    public static let refreshTokenInvalid = OAuthError(
        error: "invalid_grant", code: 9002313,
        message: "Invalid request. Request is malformed or invalid: the refresh token is not valid.")

    /// AADSTS70000: the grant belongs to another client.
    public static let grantClientMismatch = OAuthError(
        error: "invalid_grant", code: 70000,
        message: "The provided value for the 'code' or 'refresh_token' parameter is not valid for this client.")

    // MARK: Authorization code

    /// AADSTS70008-style: unknown or expired authorization code.
    public static let authorizationCodeInvalid = OAuthError(
        error: "invalid_grant", code: 70008,
        message: "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")

    /// AADSTS54005: the code was already redeemed (what the first redemption issued is revoked).
    public static let authorizationCodeReused = OAuthError(
        error: "invalid_grant", code: 54005,
        message: "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")

    /// AADSTS9002325 at `/authorize`: no `code_challenge`. Entra asks it of public clients
    /// (SPA, native); kubeid asks it of every client, confidential ones too (RFC 9700 §2.1.1:
    /// PKCE protects against code injection, which a client secret does not).
    public static let pkceRequired = OAuthError(
        error: "invalid_request", code: 9002325,
        message: "Proof Key for Code Exchange is required: send code_challenge with code_challenge_method=S256.")

    /// AADSTS50148 at `/authorize`: a challenge method other than `S256` (`plain` is refused:
    /// RFC 9700 §2.1.1).
    public static let pkceMethodNotS256 = OAuthError(
        error: "invalid_request", code: 50148,
        message: "code_challenge_method must be 'S256'; 'plain' is not accepted.")

    /// AADSTS50148 at `/authorize`: `code_challenge_method` without a `code_challenge` (from a
    /// client allowed to go without PKCE).
    public static let pkceMethodWithoutChallenge = OAuthError(
        error: "invalid_request", code: 50148,
        message: "code_challenge_method was sent without a code_challenge.")

    /// AADSTS501491 at `/authorize`: the challenge is not a base64url SHA-256 (RFC 7636 §4.2).
    public static let pkceChallengeMalformed = OAuthError(
        error: "invalid_request", code: 501491,
        message: "The code_challenge is malformed (43-128 characters of [A-Za-z0-9-._~]).")

    /// AADSTS501481: `code_verifier` does not match `code_challenge`.
    public static let pkceMismatch = OAuthError(
        error: "invalid_grant", code: 501481,
        message: "The Code_Verifier does not match the code_challenge supplied in the authorization request.")

    /// AADSTS50148: a verifier was sent for a code that had no challenge (PKCE downgrade).
    public static let pkceUnexpectedVerifier = OAuthError(
        error: "invalid_grant", code: 50148,
        message: "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.")

    /// AADSTS50147-style: a challenge was given but no verifier at redemption.
    public static let pkceMissingVerifier = OAuthError(
        error: "invalid_grant", code: 50147,
        message: "The code_challenge is missing or malformed: the request must contain the 'code_verifier' used to create it.")

    /// AADSTS50011: the redirect URI differs from the one used at `/authorize`, or is not registered.
    public static func redirectURIMismatch(_ uri: String, clientID: String) -> OAuthError {
        OAuthError(error: "invalid_request", code: 50011,
                   message: "The redirect URI '\(uri)' specified in the request does not match the redirect URIs configured for the application '\(clientID)'. Make sure the redirect URI sent in the request matches one added to your application.")
    }

    /// AADSTS50133-style: the sign-in pages' half-finished sign-in (password accepted, code
    /// owed) is too old or belongs to another tenant; start again.
    public static let signInSessionExpired = OAuthError(
        error: "interaction_required", code: 50133,
        message: "Session is invalid due to expiration or recent password change.")

    /// AADSTS50011 at the token endpoint: the code's redemption names another redirect URI
    /// than the authorization request did (RFC 6749 §4.1.3).
    public static func redirectURIDiffersFromAuthorization(_ uri: String) -> OAuthError {
        OAuthError(error: "invalid_grant", code: 50011,
                   message: "The redirect URI '\(uri)' does not match the one used in the authorization request.")
    }

    // MARK: Other

    /// AADSTS65001: the resource exposes no delegated permission the client may ask for.
    public static func consentRequired(clientID: String, resource: String) -> OAuthError {
        OAuthError(error: "invalid_grant", code: 65001,
                   message: "The user or administrator has not consented to use the application with ID '\(clientID)' for resource '\(resource)'.",
                   suberror: "consent_required")
    }

    /// AADSTS70003-style: the client is not allowed the password grant (ROPC is off by default).
    public static func passwordGrantNotEnabled(clientID: String) -> OAuthError {
        OAuthError(error: "unsupported_grant_type", code: 70003,
                   message: "The app '\(clientID)' is not allowed to use the resource owner password credentials grant. An administrator can enable it for this app.")
    }

    /// AADSTS7000218 for a confidential client redeeming a user grant without its credential.
    public static let userGrantNeedsClientCredential = OAuthError.missingClientCredential

    /// AADSTS70011: the refresh asks for a resource outside what the user signed in for.
    public static func scopeNotGranted(_ scope: String) -> OAuthError {
        OAuthError(error: "invalid_scope", code: 70011,
                   message: "The provided value for the input parameter 'scope' isn't valid. The scope '\(scope)' was not part of the original grant.")
    }

    /// AADSTS50173: the sign-in this grant rests on happened before the user's sessions were
    /// revoked (password change, disable, MFA change, explicit revocation). Both times are
    /// ISO 8601 text, as Entra prints them.
    public static func signInSessionsRevoked(issued: String, validFrom: String) -> OAuthError {
        OAuthError(error: "invalid_grant", code: 50173,
                   message: "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '\(issued)' and the TokensValidFrom date (before which tokens are not valid) for this user is '\(validFrom)'.")
    }
}
