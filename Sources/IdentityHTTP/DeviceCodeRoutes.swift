import Hummingbird
import IdentityCore
import Logging
import OAuthProtocol

/// The device authorization endpoint, v2 and v1 (RFC 8628 §3.1-3.2): HTTP only; the rules
/// live in ``DeviceAuthorizationEndpoint``.
struct DeviceCodeRoutes {
    let issuer: Issuer
    let logger: Logger

    func register(on router: Router<IdentityRequestContext>) {
        router.post("/{tenant}/oauth2/v2.0/devicecode") { request, context in
            await deviceCode(request, context, version: .v2)
        }
        router.post("/{tenant}/oauth2/devicecode") { request, context in
            await deviceCode(request, context, version: .v1)
        }
    }

    private func deviceCode(_ request: Request, _ context: IdentityRequestContext, version: EndpointVersion) async -> Response {
        let correlationID = TokenRoutes.correlationID(request)
        let errorURIBase = "\(issuer.urls.baseURL)/error"
        do {
            let fields: [String: String]
            do {
                fields = try await FormRequest.body(request)
            } catch {
                throw OAuthError(error: "invalid_request", code: 90014,
                                 message: "The request body must be a form-encoded POST without repeated parameters.")
            }
            let response = try await issuer.deviceAuthorization.handle(
                tenantSegment: try context.parameters.require("tenant"), version: version, parameters: fields,
                address: context.remoteAddress, correlationID: correlationID)
            return EntraResponse.json(response.jsonObject(for: version).serialized(), noStore: true, correlationID: correlationID)
        } catch let error as OAuthError {
            return EntraResponse.error(error, correlationID: correlationID, errorURIBase: errorURIBase)
        } catch let error as StoreError {
            logger.error("store failure during device authorization", metadata: ["error": "\(error)"])
            return EntraResponse.error(.temporarilyUnavailable, correlationID: correlationID, errorURIBase: errorURIBase)
        } catch {
            logger.error("device authorization failed unexpectedly", metadata: ["error": "\(type(of: error))"])
            return EntraResponse.error(OAuthError(error: "server_error", code: 90033, message: "An unexpected error occurred.",
                                                  httpStatus: 500),
                                       correlationID: correlationID, errorURIBase: errorURIBase)
        }
    }
}
