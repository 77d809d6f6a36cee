/// An OAuth 2.0 error as Entra ID reports it: the RFC 6749 `error` value, the Entra `AADSTS`
/// code and message, and the HTTP status it travels with.
///
/// Expected failures (a bad secret, a pending device code) are values of this type returned by
/// flows, not crashes. The struct stays extensible: new codes are new static factories.
/// Equality compares `error` and `code`, so tests can match on them.
public struct OAuthError: Error, Hashable, Sendable, CustomStringConvertible {
    /// RFC 6749 / RFC 8628 error value (`invalid_client`, `invalid_request`, ...).
    public var error: String
    /// Entra's numeric code, rendered as `AADSTS<code>: ` at the start of the description.
    public var code: Int
    /// Human text after the `AADSTS<code>: ` prefix (no trace trailer; the HTTP layer adds it).
    public var message: String
    /// 400 for request errors, 401 for `invalid_client`, 429 for throttling. Never 5xx for a
    /// protocol error: MSAL raises on >= 500 instead of reading the body.
    public var httpStatus: Int
    /// Entra's optional `suberror` (e.g. `basic_action`).
    public var suberror: String?
    /// Seconds a throttled client must wait (`Retry-After`).
    public var retryAfter: Int?

    public init(error: String, code: Int, message: String, httpStatus: Int = 400,
                suberror: String? = nil, retryAfter: Int? = nil) {
        self.error = error
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.suberror = suberror
        self.retryAfter = retryAfter
    }

    /// `AADSTS<code>: <message>`.
    public var aadstsDescription: String { "AADSTS\(code): \(message)" }
    public var description: String { "\(error): \(aadstsDescription)" }

    public static func == (lhs: OAuthError, rhs: OAuthError) -> Bool {
        lhs.error == rhs.error && lhs.code == rhs.code
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(error)
        hasher.combine(code)
    }
}

// MARK: - The errors kubeid returns (codes follow Entra's reference-error-codes table)

extension OAuthError {
    /// AADSTS900144: a required parameter is missing.
    public static func missingParameter(_ name: String) -> OAuthError {
        OAuthError(error: "invalid_request", code: 900144,
                   message: "The request body must contain the following parameter: '\(name)'.")
    }

    /// AADSTS90014-style: a parameter is present but malformed.
    public static func invalidParameter(_ name: String, _ detail: String) -> OAuthError {
        OAuthError(error: "invalid_request", code: 90014,
                   message: "The provided value for the input parameter '\(name)' is not valid. \(detail)")
    }

    /// AADSTS900561-style: the token endpoint only takes form-encoded POST bodies.
    public static func unsupportedContentType(_ contentType: String) -> OAuthError {
        OAuthError(error: "invalid_request", code: 900561,
                   message: "The endpoint only accepts 'application/x-www-form-urlencoded' POST requests; got '\(contentType)'.")
    }

    /// AADSTS90056-style: the body is larger than the endpoint accepts.
    public static func bodyTooLarge(limit: Int) -> OAuthError {
        OAuthError(error: "invalid_request", code: 90056,
                   message: "The request body exceeds the maximum size of \(limit) bytes.", httpStatus: 413)
    }

    /// AADSTS901002: `resource` sent to a v2 endpoint.
    public static let resourceOnV2 = OAuthError(
        error: "invalid_request", code: 901002, message: "The 'resource' request parameter isn't supported.")

    /// AADSTS90002: the tenant in the path does not exist.
    public static func tenantNotFound(_ tenant: String) -> OAuthError {
        OAuthError(error: "invalid_tenant", code: 90002,
                   message: "Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.")
    }

    /// AADSTS70003: the grant type is not one this endpoint knows.
    public static func unsupportedGrantType(_ grantType: String) -> OAuthError {
        OAuthError(error: "unsupported_grant_type", code: 70003,
                   message: "The app requested an unsupported grant type '\(grantType)'.")
    }

    /// AADSTS700016: no application with this client id in the tenant.
    public static func unknownClient(_ clientID: String, tenant: String) -> OAuthError {
        OAuthError(error: "unauthorized_client", code: 700016,
                   message: "Application with identifier '\(clientID)' was not found in the directory '\(tenant)'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.")
    }

    /// AADSTS7000215: wrong client secret. HTTP 401.
    public static func invalidClientSecret(clientID: String) -> OAuthError {
        OAuthError(error: "invalid_client", code: 7000215,
                   message: "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '\(clientID)'.",
                   httpStatus: 401)
    }

    /// AADSTS7000222: the only matching secret has expired. HTTP 401.
    public static func expiredClientSecret(clientID: String) -> OAuthError {
        OAuthError(error: "invalid_client", code: 7000222,
                   message: "The provided client secret keys for app '\(clientID)' are expired. Visit the Azure portal to create new keys for your app.",
                   httpStatus: 401)
    }

    /// AADSTS7000218: a confidential client sent no credential. HTTP 401.
    public static let missingClientCredential = OAuthError(
        error: "invalid_client", code: 7000218,
        message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        httpStatus: 401)

    /// AADSTS700027 family: a client assertion failed validation. HTTP 401.
    public static func invalidClientAssertion(_ detail: String) -> OAuthError {
        OAuthError(error: "invalid_client", code: 700027,
                   message: "Client assertion failed signature validation or is malformed. \(detail)",
                   httpStatus: 401)
    }

    /// AADSTS700024: assertion outside its validity window. HTTP 401.
    public static func clientAssertionTimeInvalid(_ detail: String) -> OAuthError {
        OAuthError(error: "invalid_client", code: 700024,
                   message: "Client assertion is not within its valid time range. \(detail)",
                   httpStatus: 401)
    }

    /// AADSTS50048: assertion `sub` differs from `iss`. HTTP 401.
    public static let assertionSubjectMismatch = OAuthError(
        error: "invalid_client", code: 50048,
        message: "Subject mismatches Issuer claim in the client assertion.", httpStatus: 401)

    /// AADSTS700021-style: the certificate in the assertion is not registered. HTTP 401.
    public static func unknownCertificate(clientID: String) -> OAuthError {
        OAuthError(error: "invalid_client", code: 700021,
                   message: "Client assertion application identifier doesn't match 'client_id' parameter, or no certificate with the presented thumbprint is registered for app '\(clientID)'.",
                   httpStatus: 401)
    }

    /// AADSTS500133-style: a replayed assertion (`jti` seen before). HTTP 401.
    public static let assertionReplayed = OAuthError(
        error: "invalid_client", code: 700025,
        message: "Client assertion contains a 'jti' that was already used. Assertions are single use.",
        httpStatus: 401)

    /// AADSTS70021: no federated credential matches the assertion.
    public static func noMatchingFederatedCredential(issuer: String, subject: String, audience: String) -> OAuthError {
        OAuthError(error: "invalid_request", code: 70021,
                   message: "No matching federated identity record found for presented assertion. Assertion Issuer: '\(issuer)'. Assertion Subject: '\(subject)'. Assertion Audience: '\(audience)'.")
    }

    /// AADSTS7000219: public clients cannot use client credentials. HTTP 401.
    public static let publicClientCannotUseClientCredentials = OAuthError(
        error: "invalid_client", code: 7000219,
        message: "Public clients cannot use the client_credentials grant; register a credential for a confidential application.",
        httpStatus: 401)

    /// AADSTS7000112: the service principal is disabled.
    public static func clientDisabled(_ clientID: String) -> OAuthError {
        OAuthError(error: "unauthorized_client", code: 7000112,
                   message: "Application '\(clientID)' is disabled.")
    }

    /// AADSTS70011: malformed or unknown scope.
    public static func invalidScope(_ scope: String, _ detail: String) -> OAuthError {
        OAuthError(error: "invalid_scope", code: 70011,
                   message: "The provided value for the input parameter 'scope' isn't valid. The scope '\(scope)' \(detail)")
    }

    /// AADSTS700022: client credentials asked for more than one resource.
    public static func multipleResources(_ scope: String) -> OAuthError {
        OAuthError(error: "invalid_scope", code: 700022,
                   message: "The provided value for the input parameter scope is not valid because it contains more than one resource. Scope \(scope) is not valid.")
    }

    /// AADSTS500011: the resource is not registered in the tenant.
    public static func resourceNotFound(_ resource: String, tenant: String) -> OAuthError {
        OAuthError(error: "invalid_resource", code: 500011,
                   message: "The resource principal named \(resource) was not found in the tenant named \(tenant). This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.")
    }

    /// AADSTS50196-style throttling of a client that keeps failing. HTTP 429.
    public static func tooManyRequests(retryAfter: Int) -> OAuthError {
        OAuthError(error: "temporarily_unavailable", code: 50196,
                   message: "Too many failed requests for this client. Retry after \(retryAfter) seconds.",
                   httpStatus: 429, retryAfter: retryAfter)
    }

    /// AADSTS90055 (TenantThrottlingError): too many incoming requests, here password checks
    /// waiting for the bounded scrypt queue. HTTP 429 with `Retry-After`.
    public static func tooManyIncomingRequests(retryAfter: Int) -> OAuthError {
        OAuthError(error: "temporarily_unavailable", code: 90055,
                   message: "There are too many incoming requests. Retry after \(retryAfter) seconds.",
                   httpStatus: 429, retryAfter: retryAfter)
    }

    /// The store could not be reached. HTTP 503 is the one 5xx we send: it is a real outage,
    /// and clients treat it as retryable.
    public static let temporarilyUnavailable = OAuthError(
        error: "temporarily_unavailable", code: 90033,
        message: "The service is temporarily unavailable. Retry the request.", httpStatus: 503, retryAfter: 5)

    /// AADSTS90033 with HTTP 500: a failure kubeid did not expect (the server's log has its
    /// type); Entra's body shape, so clients still read `trace_id`.
    public static let unexpectedServerError = OAuthError(
        error: "server_error", code: 90033, message: "An unexpected error occurred.", httpStatus: 500)

    /// AADSTS90014: a body (or Basic `Authorization` header) that is not a well-formed form.
    public static func malformedRequest(_ detail: String) -> OAuthError {
        OAuthError(error: "invalid_request", code: 90014, message: detail)
    }

    /// AADSTS1002012: a client-credentials scope without the `/.default` suffix.
    public static func scopeNeedsDefaultSuffix(_ scope: String) -> OAuthError {
        OAuthError(error: "invalid_scope", code: 1002012,
                   message: "The provided value for scope \(scope) is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
    }

    /// AADSTS900561-style: wrong HTTP method.
    public static let postRequired = OAuthError(
        error: "invalid_request", code: 900561,
        message: "The endpoint only accepts POST, OPTIONS requests. Received a GET request.", httpStatus: 405)
}
