import Hummingbird
import IdentityCore

/// Counts every request and times it, by the router's route pattern (never the raw path, which
/// holds tenant names and object ids), method and status class (``IssuerMetrics``). Outermost,
/// so it sees the status the client gets, errors included. The time ends when the handler
/// returns (kubeid's bodies are small and written at once).
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: IssuerMetrics

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            metrics.httpRequest(route: context.endpointPath ?? "unmatched", method: method, status: response.status.code,
                                seconds: Elapsed.seconds(since: started))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.httpRequest(route: context.endpointPath ?? "unmatched", method: method, status: status,
                                seconds: Elapsed.seconds(since: started))
            throw error
        }
    }
}
