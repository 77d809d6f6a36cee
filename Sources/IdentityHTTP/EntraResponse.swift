import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OAuthProtocol

/// Builds responses the way Entra sends them: JSON with `charset=utf-8`, `no-store` caching
/// for anything carrying tokens, and Entra's error body (docs/compatibility.md, Error bodies).
enum EntraResponse {
    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, noStore: Bool = false,
                     correlationID: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if noStore {
            headers[.cacheControl] = "no-store, no-cache"
            headers[HTTPField.Name("Pragma")!] = "no-cache"
        }
        if let correlationID, let name = HTTPField.Name("client-request-id") {
            headers[name] = correlationID
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, noStore: Bool = false) -> Response {
        json(value.serialized(), status: status, noStore: noStore)
    }

    /// An OAuth error in Entra's shape: the request's id as `trace_id` (the `x-ms-request-id`
    /// header too), and the caller's correlation id.
    static func error(_ error: OAuthError, correlationID: String?, errorURIBase: String) -> Response {
        let correlation = correlationID ?? UUID().uuidString.lowercased()
        let body = EntraErrorBody(error, traceID: RequestID.current ?? UUID().uuidString.lowercased(), correlationID: correlation,
                                  timestamp: entraTimestamp(Date()), errorURIBase: errorURIBase)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = (try? encoder.encode(body)).map { [UInt8]($0) } ?? Array(#"{"error":"server_error"}"#.utf8)
        var response = json(bytes, status: HTTPResponse.Status(code: error.httpStatus), noStore: true, correlationID: correlation)
        if let retryAfter = error.retryAfter {
            response.headers[.retryAfter] = String(retryAfter)
        }
        return response
    }

    /// `YYYY-MM-DD HH:MM:SSZ`, Entra's timestamp format.
    static func entraTimestamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}
