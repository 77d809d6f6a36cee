import Foundation
import HTTPTypes
import Hummingbird
import IdentityCore
import Logging
import NIOCore
import OAuthProtocol

/// The frame every Graph admin API request goes through, so each resource file holds only its
/// own logic: a request id, the caller from the bearer token (401), the per-client budget
/// (429), the operation's access rule (403), OData options and body (400), then the handler's
/// ``GraphReply`` framed as Graph frames it, and every error as Graph's error body.
struct GraphEndpoint: Sendable {
    let issuer: Issuer
    let throttle: GraphThrottle
    let logger: Logger

    init(issuer: Issuer, logger: Logger) {
        self.issuer = issuer
        self.throttle = GraphThrottle(perMinute: issuer.configuration.graphRequestsPerMinute, clock: issuer.clock)
        self.logger = logger
    }

    var baseURL: String { issuer.urls.baseURL }

    func handle(_ request: Request, _ context: IdentityRequestContext, rule: GraphAccessRule,
                _ handler: @Sendable (GraphCall) async throws -> GraphReply) async -> Response {
        let requestID = RequestID.current ?? ObjectID.make()
        let clientRequestID = request.headers[HTTPField.Name("client-request-id")!]
        do {
            let caller = try await issuer.graphAuthenticator.authenticate(bearer: Self.bearer(request))
            if let wait = throttle.admit("\(caller.tenant.id)/\(caller.objectID)/\(caller.clientID)") {
                throw GraphError.tooManyRequests(retryAfter: wait)
            }
            guard caller.isAllowed(rule) else {
                throw GraphError.forbidden("Insufficient privileges to complete the operation.")
            }
            let query = try ODataQuery(request: request)
            var body: [String: JSONValue] = [:]
            if request.method == .post || request.method == .patch || request.method == .put {
                let buffer: ByteBuffer
                do {
                    buffer = try await request.body.collect(upTo: GraphRequestBody.maximumSize)
                } catch {
                    throw GraphError(status: 413, code: "Request_EntityTooLarge", message: "The request body is larger than 1 MiB.")
                }
                body = try GraphRequestBody.parse(Array(buffer.readableBytesView))
            }
            let call = GraphCall(caller: caller, query: query, parameters: context.parameters, body: body,
                                 administration: issuer.administration(actor: caller.actor),
                                 objects: DirectoryObjects(store: issuer.store, tenantID: caller.tenant.id))
            let reply = try await handler(call)
            var response = frame(reply, query: query, request: request)
            stamp(&response, requestID: requestID, clientRequestID: clientRequestID)
            return response
        } catch {
            var response = errorResponse(Self.graphError(for: error, logger: logger), requestID: requestID,
                                         clientRequestID: clientRequestID)
            stamp(&response, requestID: requestID, clientRequestID: clientRequestID)
            return response
        }
    }

    /// Graph's error body for any failure: coded errors keep their code, the store's outages
    /// are 503, anything else is a 500 with no detail (logged, never shown).
    static func graphError(for error: any Error, logger: Logger) -> GraphError {
        switch error {
        case let error as GraphError:
            return error
        case let error as AdministrationError:
            switch error.code {
            case .notFound:
                return GraphError(status: 404, code: "Request_ResourceNotFound", message: error.message)
            case .notAllowed:
                return GraphError(status: 403, code: "Authorization_RequestDenied", message: error.message)
            default:
                return GraphError.badRequest(error.message)
            }
        case let error as StoreError:
            logger.error("Graph request failed in the store", metadata: ["code": "\(error.code)"])
            return GraphError(status: 503, code: "serviceNotAvailable", message: "The service is temporarily unavailable. Try again later.")
        default:
            logger.error("Graph request failed", metadata: ["error": "\(type(of: error))"])
            return GraphError(status: 500, code: "generalException", message: "An internal error occurred.")
        }
    }

    func errorResponse(_ error: GraphError, requestID: String, clientRequestID: String?) -> Response {
        var inner: [(String, JSONValue)] = [("date", .string(GraphDate.format(issuer.clock.now()))), ("request-id", .string(requestID))]
        if let clientRequestID { inner.append(("client-request-id", .string(clientRequestID))) }
        let body = JSONValue.object([("error", .object([
            ("code", .string(error.code)), ("message", .string(error.message)), ("innerError", .object(inner)),
        ]))])
        var response = EntraResponse.json(body, status: HTTPResponse.Status(code: error.status), noStore: true)
        if error.status == 401 {
            response.headers[.wwwAuthenticate] = "Bearer realm=\"\", authorization_uri=\"\(baseURL)/common/oauth2/authorize\", client_id=\"\(WellKnownApplications.graphAppID)\""
        }
        if let retryAfter = error.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    // MARK: Framing

    private func frame(_ reply: GraphReply, query: ODataQuery, request: Request) -> Response {
        switch reply {
        case .noContent:
            return Response(status: .noContent)
        case .value(let value, let status):
            return EntraResponse.json(value, status: HTTPResponse.Status(code: status), noStore: true)
        case .entity(let object, let context, let status):
            guard case .object(let members) = query.selecting(object) else {
                return EntraResponse.json(object, status: HTTPResponse.Status(code: status), noStore: true)
            }
            return EntraResponse.json(.object([("@odata.context", .string("\(baseURL)/v1.0/$metadata#\(context)"))] + members),
                                      status: HTTPResponse.Status(code: status), noStore: true)
        case .collection(let items, let context, let pageSize):
            let (page, total, hasMore) = query.apply(to: items, defaultPageSize: pageSize)
            var members: [(String, JSONValue)] = [("@odata.context", .string("\(baseURL)/v1.0/$metadata#\(context)"))]
            if query.count { members.append(("@odata.count", .integer(total))) }
            if hasMore {
                members.append(("@odata.nextLink", .string(nextLink(request, skipToken: ODataQuery.skipToken(offset: query.skip + page.count)))))
            }
            members.append(("value", .array(page.map(query.selecting))))
            return EntraResponse.json(.object(members), noStore: true)
        case .page(let items, let context, let next):
            var members: [(String, JSONValue)] = [("@odata.context", .string("\(baseURL)/v1.0/$metadata#\(context)"))]
            if let next { members.append(("@odata.nextLink", .string(nextLink(request, skipToken: next)))) }
            members.append(("value", .array(items.map(query.selecting))))
            return EntraResponse.json(.object(members), noStore: true)
        }
    }

    /// The same request on kubeid's own host with `$skiptoken` replaced: absolute, as the SDKs'
    /// page iterators call it verbatim.
    private func nextLink(_ request: Request, skipToken: String) -> String {
        var pairs: [String] = []
        for (key, value) in (try? GraphQueryString.parameters(request)) ?? [] where key.lowercased() != "$skiptoken" {
            pairs.append("\(Self.encode(key))=\(Self.encode(value))")
        }
        pairs.append("$skiptoken=\(Self.encode(skipToken))")
        return "\(baseURL)\(request.uri.path)?\(pairs.joined(separator: "&"))"
    }

    /// A query component of a `@odata.nextLink`: `%20` for space (clients call it verbatim) and
    /// OData's `$` kept, everything else outside ASCII's unreserved characters escaped.
    static func encode(_ text: String) -> String {
        FormURLEncoding.percentEncode(text, keeping: ["$"])
    }

    private func stamp(_ response: inout Response, requestID: String, clientRequestID: String?) {
        response.headers[HTTPField.Name("request-id")!] = requestID
        if let clientRequestID { response.headers[HTTPField.Name("client-request-id")!] = clientRequestID }
    }

    static func bearer(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.count > 7, value.prefix(7).lowercased() == "bearer " else {
            return nil
        }
        return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }
}
