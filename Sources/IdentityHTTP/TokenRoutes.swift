import Foundation
import HTTPTypes
import Hummingbird
import IdentityCore
import OAuthProtocol

/// The token endpoint, v2 and v1: HTTP concerns only (method, content type, size, form
/// parsing, Basic credentials); everything else is ``TokenEndpoint``'s.
struct TokenRoutes {
    let tokenEndpoint: TokenEndpoint
    let urls: IssuerURLs
    /// Token requests are small; 64 KiB leaves room for long client assertions with chains.
    static let maximumBodySize = 64 * 1024

    func register(on router: Router<IdentityRequestContext>) {
        router.post("/{tenant}/oauth2/v2.0/token") { request, context in
            try await token(request, context, version: .v2)
        }
        router.post("/{tenant}/oauth2/token") { request, context in
            try await token(request, context, version: .v1)
        }
        for path in ["/{tenant}/oauth2/v2.0/token", "/{tenant}/oauth2/token"] {
            router.get(RouterPath(stringLiteral: path)) { request, _ in
                EntraResponse.error(.postRequired, correlationID: EntraCorrelation.clientRequestID(request), errorURIBase: errorURIBase)
            }
        }
    }

    /// Errors are thrown: ``EntraErrorMiddleware`` renders them (Entra's body, 503 for a store
    /// outage) with the same correlation id the sign-in log records.
    private func token(_ request: Request, _ context: IdentityRequestContext, version: EndpointVersion) async throws -> Response {
        let tokenRequest = try await parse(request, context, version: version, correlationID: EntraCorrelation.id(for: request))
        let response = try await tokenEndpoint.handle(tokenRequest)
        return EntraResponse.json(response.encoded(for: version), noStore: true,
                                  correlationID: EntraCorrelation.clientRequestID(request))
    }

    private func parse(_ request: Request, _ context: IdentityRequestContext, version: EndpointVersion,
                       correlationID: String) async throws -> TokenRequest {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw OAuthError.unsupportedContentType(contentType)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumBodySize)
        } catch {
            throw OAuthError.bodyTooLarge(limit: Self.maximumBodySize)
        }
        let fields: [String: String]
        let basic: BasicCredentials?
        do {
            fields = try FormBody.parse(Array(buffer: body))
            basic = try BasicCredentials.parse(request.headers)
        } catch FormBody.ParseError.duplicate(let name) {
            throw OAuthError.invalidParameter(name, "The parameter was sent more than once.")
        } catch {
            throw OAuthError.malformedRequest("The request body or Authorization header is malformed.")
        }
        return TokenRequest(tenantSegment: try context.parameters.require("tenant"), version: version,
                            parameters: fields, basicClientID: basic?.clientID, basicClientSecret: basic?.clientSecret,
                            clientAddress: context.remoteAddress, correlationID: correlationID,
                            userAgent: request.headers[.userAgent])
    }

    private var errorURIBase: String { "\(urls.baseURL)/error" }
}
