import OAuthProtocol

/// A token-endpoint request after HTTP parsing: the form fields, the Basic credentials if any,
/// and where it came from. Built by the HTTP layer; consumed by ``TokenEndpoint``.
public struct TokenRequest: Sendable {
    /// The `{tenant}` path segment as the client wrote it (id or name).
    public var tenantSegment: String
    public var version: EndpointVersion
    /// Form fields. A field sent twice is rejected by the HTTP layer before this point.
    public var parameters: [String: String]
    /// `client_secret_basic` credentials (already URL-decoded per RFC 6749 §2.3.1).
    public var basicClientID: String?
    public var basicClientSecret: String?
    /// The caller's address, for throttling, the `ipaddr` claim and the sign-in log.
    public var clientAddress: String
    /// The request's correlation id: the client's `client-request-id` when it sent one (echoed
    /// as Entra's `correlation_id` and kept in the sign-in log), else one the HTTP layer drew.
    public var correlationID: String?
    /// `User-Agent`, for the sign-in log's `deviceDetail`.
    public var userAgent: String?

    public init(tenantSegment: String, version: EndpointVersion, parameters: [String: String],
                basicClientID: String? = nil, basicClientSecret: String? = nil, clientAddress: String,
                correlationID: String? = nil, userAgent: String? = nil) {
        self.tenantSegment = tenantSegment
        self.version = version
        self.parameters = parameters
        self.basicClientID = basicClientID
        self.basicClientSecret = basicClientSecret
        self.clientAddress = clientAddress
        self.correlationID = correlationID
        self.userAgent = userAgent
    }

    /// The parameter's value; empty strings count as absent (MSAL drops empty values anyway).
    public func parameter(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }

    /// The parameter's value or the Entra "missing parameter" error.
    public func requireParameter(_ name: String) throws -> String {
        guard let value = parameter(name) else { throw OAuthError.missingParameter(name) }
        return value
    }
}
