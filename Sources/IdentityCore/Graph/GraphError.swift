/// A Microsoft Graph-style error: `{"error":{"code":…,"message":…}}` with an HTTP status.
public struct GraphError: Error, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String

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
