import Foundation
import HTTPTypes
import Hummingbird
import IdentityCore
import Logging
import OAuthProtocol

/// The Graph-compatible endpoints the groups-overage claim points at (SECURITY.md item 36):
/// `POST /v1.0/users/{id}/getMemberObjects|getMemberGroups` and the same for
/// `servicePrincipals`, answering `{"value":[<group ids>]}` as Microsoft Graph does.
struct GraphRoutes {
    let issuer: Issuer
    let logger: Logger

    func register(on router: Router<IdentityRequestContext>) {
        for (collection, kind) in [("users", MemberObjectsQuery.ObjectKind.user), ("servicePrincipals", .servicePrincipal)] {
            for action in ["getMemberObjects", "getMemberGroups"] {
                router.post(RouterPath(stringLiteral: "/v1.0/\(collection)/{id}/\(action)")) { request, context in
                    await lookup(request, context, kind: kind)
                }
            }
        }
    }

    private func lookup(_ request: Request, _ context: IdentityRequestContext, kind: MemberObjectsQuery.ObjectKind) async -> Response {
        var bearer: String?
        if let value = request.headers[.authorization], value.count > 7, value.prefix(7).lowercased() == "bearer " {
            bearer = String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        do {
            let id = try context.parameters.require("id")
            let groups = try await issuer.memberObjects.memberObjects(bearer: bearer, objectID: id, kind: kind)
            return EntraResponse.json(.object([
                ("@odata.context", .string("\(issuer.urls.baseURL)/v1.0/$metadata#Collection(Edm.String)")),
                ("value", .strings(groups)),
            ]), noStore: true)
        } catch let error as GraphError {
            var response = EntraResponse.json(.object([("error", .object([
                ("code", .string(error.code)), ("message", .string(error.message)),
                ("innerError", .object([("request-id", .string(UUID().uuidString.lowercased()))])),
            ]))]), status: HTTPResponse.Status(code: error.status), noStore: true)
            if error.status == 401 { response.headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\"" }
            return response
        } catch {
            logger.error("group lookup failed", metadata: ["error": "\(type(of: error))"])
            return EntraResponse.json(.object([("error", .object([("code", .string("serviceNotAvailable")),
                                                                   ("message", .string("Try again later."))]))]),
                                      status: .serviceUnavailable)
        }
    }
}
