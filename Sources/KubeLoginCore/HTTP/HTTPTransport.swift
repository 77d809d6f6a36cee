import OAuthProtocol

/// One HTTP exchange, as the Entra client needs it: small bodies, no streaming.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// A form POST (`application/x-www-form-urlencoded`), as every Entra token request is.
    public static func form(_ url: String, _ fields: [(String, String)]) -> HTTPRequest {
        HTTPRequest(method: "POST", url: url,
                    headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                    body: Array(FormURLEncoding.encode(fields).utf8))
    }

    public static func get(_ url: String, headers: [(name: String, value: String)] = []) -> HTTPRequest {
        HTTPRequest(method: "GET", url: url, headers: [("Accept", "application/json")] + headers)
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Sends requests. Injected so flows are tested without sockets; the real one is
/// ``AsyncHTTPClientTransport``. Implementations must honour task cancellation (the
/// `--timeout` deadline cancels the run).
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// A transport failure (connection refused, TLS, timeout), shown to the user as is.
public struct HTTPTransportError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
