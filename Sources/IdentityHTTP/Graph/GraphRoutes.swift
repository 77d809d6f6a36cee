import Foundation
import HTTPTypes
import Hummingbird
import IdentityCore
import Logging
import OAuthProtocol

/// The Microsoft Graph-compatible admin API under `/v1.0` (see docs/graph-api.md): one
/// ``GraphEndpoint`` frames every request; each resource registers its paths from its own file.
///
/// Also here: the OpenAPI document of this subset (``GraphOpenAPIDocument``), the member-objects lookup the groups-overage claim points at
/// (`POST /v1.0/users/{id}/getMemberObjects|getMemberGroups`, and under `servicePrincipals/`),
/// which a user's own token may call as well, and the fallback that answers unknown paths in
/// Graph's error shape.
struct GraphRoutes {
    let issuer: Issuer
    let logger: Logger

    func register(on router: Router<IdentityRequestContext>) {
        let endpoint = GraphEndpoint(issuer: issuer, logger: logger)
        GraphUserRoutes(endpoint: endpoint).register(on: router)
        GraphGroupRoutes(endpoint: endpoint).register(on: router)
        let applications = GraphApplicationRoutes(endpoint: endpoint)
        applications.register(on: router)
        GraphServicePrincipalRoutes(endpoint: endpoint, applications: applications).register(on: router)
        GraphAuditLogRoutes(endpoint: endpoint).register(on: router)
        GraphPrivilegedAccessRoutes(endpoint: endpoint).register(on: router)
        GraphPrivilegedAccessPolicyRoutes(endpoint: endpoint).register(on: router)
        for (collection, kind) in [("users", MemberObjectsQuery.ObjectKind.user), ("servicePrincipals", .servicePrincipal)] {
            for action in ["getMemberObjects", "getMemberGroups"] {
                router.post(RouterPath(stringLiteral: "/v1.0/\(collection)/{id}/\(action)")) { request, context in
                    await memberObjects(request, context, kind: kind, endpoint: endpoint)
                }
            }
        }
        registerApplicationsByAppID(on: router, endpoint: endpoint, applications: applications)
        let document = GraphOpenAPIDocument.document(baseURL: issuer.urls.baseURL).serialized()
        router.get("/v1.0/openapi.json") { _, _ in
            var response = EntraResponse.json(document)
            response.headers[.cacheControl] = "public, max-age=3600"
            return response
        }
        for method in [HTTPRequest.Method.get, .post, .patch, .put, .delete] {
            router.on("/v1.0/**", method: method) { request, context in
                await endpoint.handle(request, context, rule: .anyCaller) { _ in
                    let segment = request.uri.path.split(separator: "/").dropFirst().first.map(String.init) ?? ""
                    throw GraphError(status: 400, code: "BadRequest",
                                     message: "Resource not found for the segment '\(segment.removingPercentEncoding ?? segment)'.")
                }
            }
        }
    }

    /// `applications(appId='…')`: the same object as `applications/{objectId}`, addressed by client id.
    private func registerApplicationsByAppID(on router: Router<IdentityRequestContext>, endpoint: GraphEndpoint,
                                             applications: GraphApplicationRoutes) {
        @Sendable func appID(_ request: Request) throws -> String {
            let segment = request.uri.path.split(separator: "/").last.map(String.init) ?? ""
            let decoded = segment.removingPercentEncoding ?? segment
            guard decoded.hasPrefix("applications(appId='"), decoded.hasSuffix("')") else {
                throw GraphError.badRequest("Use applications(appId='<client id>').")
            }
            return String(decoded.dropFirst("applications(appId='".count).dropLast(2))
        }
        router.get("/v1.0/applications(*") { request, context in
            await endpoint.handle(request, context, rule: .readApplications) { call in
                try await applications.entity(try await call.objects.application(appID: try appID(request)), call)
            }
        }
        router.patch("/v1.0/applications(*") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                try await applications.update(try await call.objects.application(appID: try appID(request)), call)
            }
        }
        router.delete("/v1.0/applications(*") { request, context in
            await endpoint.handle(request, context, rule: .writeApplications) { call in
                try await applications.delete(try await call.objects.application(appID: try appID(request)), call)
            }
        }
    }

    private func memberObjects(_ request: Request, _ context: IdentityRequestContext, kind: MemberObjectsQuery.ObjectKind,
                               endpoint: GraphEndpoint) async -> Response {
        let requestID = RequestID.current ?? ObjectID.make()
        do {
            let id = try context.parameters.require("id")
            let groups = try await issuer.memberObjects.memberObjects(bearer: GraphEndpoint.bearer(request), objectID: id, kind: kind)
            return EntraResponse.json(.object([
                ("@odata.context", .string("\(issuer.urls.baseURL)/v1.0/$metadata#Collection(Edm.String)")),
                ("value", .strings(groups)),
            ]), noStore: true)
        } catch {
            return endpoint.errorResponse(GraphEndpoint.graphError(for: error, logger: logger), requestID: requestID,
                                          clientRequestID: request.headers[HTTPField.Name("client-request-id")!])
        }
    }
}
