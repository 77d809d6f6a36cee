import Foundation
import HTTPTypes
import Hummingbird
import IdentityCore
import Logging

/// Gives every request an id, as Entra does: the `x-ms-request-id` response header, the
/// `trace_id` of an OAuth error body and the `request-id` of a Graph error body (both read
/// ``RequestID/current``), and the server's log line for the request. A caller's `client-request-id`
/// (MSAL sends one) is echoed back and logged beside it, so a client's error, its own log and
/// the server's log meet on one id.
///
/// The log line: `error` for 5xx, `info` for 4xx, `debug` for the rest, so a busy token
/// endpoint does not write a line per token at the default level.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    static var requestIDHeader: HTTPField.Name { HTTPField.Name("x-ms-request-id")! }
    static var clientRequestIDHeader: HTTPField.Name { HTTPField.Name("client-request-id")! }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = UUID().uuidString.lowercased()
        let clientRequestID = request.headers[Self.clientRequestIDHeader].flatMap(Self.acceptable)
        let started = ContinuousClock.now
        var response = try await RequestID.$current.withValue(id) {
            try await next(request, context)
        }
        response.headers[Self.requestIDHeader] = id
        if let clientRequestID, response.headers[Self.clientRequestIDHeader] == nil {
            response.headers[Self.clientRequestIDHeader] = clientRequestID
        }
        let status = response.status.code
        let level: Logger.Level = status >= 500 ? .error : status >= 400 ? .info : .debug
        if logger.logLevel <= level {
            var metadata: Logger.Metadata = [
                "request_id": "\(id)", "method": "\(request.method.rawValue)",
                "route": "\(context.endpointPath ?? "unmatched")", "status": "\(status)",
                "duration_ms": "\(Int(Elapsed.seconds(since: started) * 1000))",
            ]
            if let clientRequestID { metadata["client_request_id"] = "\(clientRequestID)" }
            logger.log(level: level, "request", metadata: metadata)
        }
        return response
    }

    /// A client's id is echoed and logged only when it is short and plain (a GUID, as MSAL
    /// sends): never a way to put arbitrary text in a header or a log line.
    static func acceptable(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count),
              value.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
                  || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                  || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else { return nil }
        return value
    }
}

/// The id of the request being handled (set by ``RequestIDMiddleware`` for the handler's task).
enum RequestID {
    @TaskLocal static var current: String?
}
