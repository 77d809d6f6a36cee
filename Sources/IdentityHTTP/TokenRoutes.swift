import Foundation
import HTTPTypes
import Hummingbird
import IdentityCore
import Logging
import OAuthProtocol

/// The token endpoint, v2 and v1: HTTP concerns only (method, content type, size, form
/// parsing, Basic credentials); everything else is ``TokenEndpoint``'s.
struct TokenRoutes {
    let issuer: Issuer
    let logger: Logger
    /// Token requests are small; 64 KiB leaves room for long client assertions with chains.
    static let maximumBodySize = 64 * 1024

    func register(on router: Router<IdentityRequestContext>) {
        router.post("/{tenant}/oauth2/v2.0/token") { request, context in
            await token(request, context, version: .v2)
        }
        router.post("/{tenant}/oauth2/token") { request, context in
            await token(request, context, version: .v1)
        }
        for path in ["/{tenant}/oauth2/v2.0/token", "/{tenant}/oauth2/token"] {
            router.get(RouterPath(stringLiteral: path)) { request, _ in
                EntraResponse.error(.postRequired, correlationID: Self.correlationID(request), errorURIBase: errorURIBase)
            }
        }
    }

    private func token(_ request: Request, _ context: IdentityRequestContext, version: EndpointVersion) async -> Response {
        // One id for the error body, the response header and the sign-in log record.
        let correlationID = Self.correlationID(request) ?? UUID().uuidString.lowercased()
        do {
            let tokenRequest = try await parse(request, context, version: version, correlationID: correlationID)
            let response = try await issuer.tokenEndpoint.handle(tokenRequest)
            return EntraResponse.json(response.encoded(for: version), noStore: true, correlationID: Self.correlationID(request))
        } catch let error as OAuthError {
            return EntraResponse.error(error, correlationID: correlationID, errorURIBase: errorURIBase)
        } catch {
            logger.error("token request failed unexpectedly", metadata: ["error": "\(type(of: error))"])
            return EntraResponse.error(OAuthError(error: "server_error", code: 90033,
                                                  message: "An unexpected error occurred.", httpStatus: 500),
                                       correlationID: correlationID, errorURIBase: errorURIBase)
        }
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
            throw OAuthError(error: "invalid_request", code: 90014, message: "The request body or Authorization header is malformed.")
        }
        return TokenRequest(tenantSegment: try context.parameters.require("tenant"), version: version,
                            parameters: fields, basicClientID: basic?.clientID, basicClientSecret: basic?.clientSecret,
                            clientAddress: context.remoteAddress, correlationID: correlationID,
                            userAgent: request.headers[.userAgent])
    }

    static func correlationID(_ request: Request) -> String? {
        guard let name = HTTPField.Name("client-request-id"), let value = request.headers[name],
              value.count <= 64, value.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { return nil }
        return value
    }

    private var errorURIBase: String { "\(issuer.urls.baseURL)/error" }
}
