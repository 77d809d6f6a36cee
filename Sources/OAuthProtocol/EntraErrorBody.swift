/// The JSON body Entra ID sends with every OAuth error (docs/compatibility.md, Error bodies).
///
/// `error_description` ends with the `Trace ID`/`Correlation ID`/`Timestamp` trailer, separated
/// by `\r\n`, exactly as MSAL users see it in logs.
public struct EntraErrorBody: Codable, Sendable, Equatable {
    public var error: String
    public var errorDescription: String
    public var errorCodes: [Int]
    public var timestamp: String
    public var traceID: String
    public var correlationID: String
    public var errorURI: String
    public var suberror: String?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
        case errorCodes = "error_codes"
        case timestamp
        case traceID = "trace_id"
        case correlationID = "correlation_id"
        case errorURI = "error_uri"
        case suberror
    }

    /// - Parameters:
    ///   - timestamp: `YYYY-MM-DD HH:MM:SSZ`, as Entra formats it.
    ///   - errorURIBase: where `error_uri` points (`<issuer-url>/error`).
    public init(_ error: OAuthError, traceID: String, correlationID: String, timestamp: String, errorURIBase: String) {
        self.error = error.error
        self.errorDescription = "\(error.aadstsDescription)\r\nTrace ID: \(traceID)\r\nCorrelation ID: \(correlationID)\r\nTimestamp: \(timestamp)"
        self.errorCodes = [error.code]
        self.timestamp = timestamp
        self.traceID = traceID
        self.correlationID = correlationID
        self.errorURI = "\(errorURIBase)?code=\(error.code)"
        self.suberror = error.suberror
    }
}
