/// A Microsoft Graph-style error: `{"error":{"code":…,"message":…}}` with an HTTP status.
public struct GraphError: Error, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String
    /// Seconds, for 429.
    public var retryAfter: Int?

    public init(status: Int, code: String, message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public static func unauthorized(_ message: String) -> GraphError {
        GraphError(status: 401, code: "InvalidAuthenticationToken", message: message)
    }
    public static func forbidden(_ message: String) -> GraphError {
        GraphError(status: 403, code: "Authorization_RequestDenied", message: message)
    }
    /// Equal by status and code, so tests can match without the message.
    public static func == (lhs: GraphError, rhs: GraphError) -> Bool { lhs.status == rhs.status && lhs.code == rhs.code }

    public static let notFound = GraphError(
        status: 404, code: "Request_ResourceNotFound",
        message: "Resource does not exist or one of its queried reference-property objects are not present.")
}

extension GraphError {
    /// A malformed request, in Graph's directory wording.
    public static func badRequest(_ message: String) -> GraphError {
        GraphError(status: 400, code: "Request_BadRequest", message: message)
    }

    /// The exact text Graph answers for a member that is already there; clients match it.
    public static let duplicateMember = GraphError(
        status: 400, code: "Request_BadRequest",
        message: "One or more added object references already exist for the following modified properties: 'members'.")

    public static func notSupported(_ message: String) -> GraphError {
        GraphError(status: 501, code: "NotImplemented", message: message)
    }

    public static func tooManyRequests(retryAfter: Int) -> GraphError {
        GraphError(status: 429, code: "TooManyRequests",
                   message: "Too many requests from this client. Retry after \(retryAfter) seconds.", retryAfter: retryAfter)
    }
}

extension GraphError: CustomStringConvertible {
    /// The message alone: what the CLI prints after `Error: `.
    public var description: String { message }
}
