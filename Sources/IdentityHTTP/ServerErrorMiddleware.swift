import Hummingbird
import Logging
import OAuthProtocol

/// Last line of defence: whatever a route throws becomes a short JSON body, never a stack or
/// internal detail. Hummingbird's own `HTTPError`s (404, 405, 413) keep their status.
struct ServerErrorMiddleware: RouterMiddleware {
    typealias Context = IdentityRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let body = JSONValue.object([("error", .string(error.status.code == 404 ? "not_found" : "invalid_request")),
                                         ("error_description", .string(error.status.reasonPhrase))])
            return EntraResponse.json(body, status: error.status)
        } catch {
            logger.error("unhandled error", metadata: ["path": "\(request.uri.path)", "error": "\(type(of: error))"])
            let body = JSONValue.object([("error", .string("server_error")),
                                         ("error_description", .string("An unexpected error occurred."))])
            return EntraResponse.json(body, status: .internalServerError)
        }
    }
}
