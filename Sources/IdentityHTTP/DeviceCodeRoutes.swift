import Hummingbird
import IdentityCore
import OAuthProtocol

/// The device authorization endpoint, v2 and v1 (RFC 8628 §3.1-3.2): HTTP only; the rules
/// live in ``DeviceAuthorizationEndpoint``.
struct DeviceCodeRoutes {
    let deviceAuthorization: DeviceAuthorizationEndpoint

    func register(on router: Router<IdentityRequestContext>) {
        router.post("/{tenant}/oauth2/v2.0/devicecode") { request, context in
            try await deviceCode(request, context, version: .v2)
        }
        router.post("/{tenant}/oauth2/devicecode") { request, context in
            try await deviceCode(request, context, version: .v1)
        }
    }

    /// Errors are thrown for ``EntraErrorMiddleware`` to render.
    private func deviceCode(_ request: Request, _ context: IdentityRequestContext, version: EndpointVersion) async throws -> Response {
        let fields: [String: String]
        do {
            fields = try await FormRequest.body(request)
        } catch {
            throw OAuthError.malformedRequest("The request body must be a form-encoded POST without repeated parameters.")
        }
        let response = try await deviceAuthorization.handle(
            tenantSegment: try context.parameters.require("tenant"), version: version, parameters: fields,
            address: context.remoteAddress, correlationID: EntraCorrelation.clientRequestID(request))
        return EntraResponse.json(response.jsonObject(for: version).serialized(), noStore: true,
                                  correlationID: EntraCorrelation.clientRequestID(request))
    }
}
