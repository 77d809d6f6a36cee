import Foundation
import HTTPTypes
import Hummingbird
import IdentityCore
import Logging
import OAuthProtocol

/// The one place a thrown error becomes a response, so routes throw domain errors instead of
/// building bodies:
/// - ``OAuthError``: Entra's error body with its status (and `Retry-After` when it has one);
/// - ``StoreError``: 503 `temporarily_unavailable` with `Retry-After`, which MSAL and
///   azure-identity retry (the database is away, not the request wrong);
/// - Hummingbird's `HTTPError` (404, 405, 413): its status;
/// - anything else: Entra's 500 body, logged by type only (never a message that could hold input).
///
/// On the browser routes (the sign-in pages) each becomes an HTML page instead: a browser must
/// never show a JSON 500.
struct EntraErrorMiddleware: RouterMiddleware {
    typealias Context = IdentityRequestContext
    /// `<issuer>/error`, the base of Entra's `error_uri`.
    let errorURIBase: String
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as OAuthError {
            return respond(error, to: request)
        } catch let error as StoreError {
            logger.error("store failure", metadata: ["path": "\(request.uri.path)", "error": "\(error.code)"])
            return respond(.temporarilyUnavailable, to: request)
        } catch let error as HTTPError {
            if Self.isBrowserRoute(request.uri.path) {
                return PageResponse.html(AuthorizeTemplates.error(title: "We couldn't complete that request",
                                                                  message: error.status.reasonPhrase), status: error.status)
            }
            let body = JSONValue.object([("error", .string(error.status.code == 404 ? "not_found" : "invalid_request")),
                                         ("error_description", .string(error.status.reasonPhrase))])
            return EntraResponse.json(body, status: error.status)
        } catch {
            logger.error("unhandled error", metadata: ["path": "\(request.uri.path)", "error": "\(type(of: error))"])
            return respond(.unexpectedServerError, to: request)
        }
    }

    private func respond(_ error: OAuthError, to request: Request) -> Response {
        if Self.isBrowserRoute(request.uri.path) {
            var response = PageResponse.html(AuthorizeTemplates.error(
                title: error.httpStatus >= 500 ? "Sign-in is unavailable right now" : "We couldn't sign you in",
                message: error.aadstsDescription), status: HTTPResponse.Status(code: error.httpStatus))
            if let retryAfter = error.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
        return EntraResponse.error(error, correlationID: EntraCorrelation.id(for: request), errorURIBase: errorURIBase)
    }

    /// The sign-in pages: `/devicelogin…` and the authorization endpoints.
    static func isBrowserRoute(_ path: String) -> Bool {
        path.hasPrefix("/devicelogin") || path.hasSuffix("/oauth2/v2.0/authorize") || path.hasSuffix("/oauth2/authorize")
    }
}
