import Foundation
import HTTPTypes
import Hummingbird

/// Entra's correlation id: the caller's `client-request-id` (MSAL sends one) when it is a GUID,
/// else this request's id, so an error body's `correlation_id`, the sign-in log record and the
/// server's log line all carry one value.
enum EntraCorrelation {
    /// The caller's `client-request-id` when it is GUID-shaped (hex and dashes, at most 64).
    static func clientRequestID(_ request: Request) -> String? {
        guard let name = HTTPField.Name("client-request-id"), let value = request.headers[name],
              value.count <= 64, value.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { return nil }
        return value
    }

    /// The correlation id of `request`: the caller's, or the request id.
    static func id(for request: Request) -> String {
        clientRequestID(request) ?? RequestID.current ?? UUID().uuidString.lowercased()
    }
}
