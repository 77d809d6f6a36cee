import Foundation
import Synchronization

/// Talks to an Entra-compatible authority: finds its endpoints, then posts token requests.
///
/// Discovery follows MSAL: instance discovery first (unless `--disable-instance-discovery`,
/// in which case nothing is sent anywhere but the configured host), then the tenant's v2.0
/// OpenID configuration. The endpoints are looked up once per run.
public final class EntraClient: Sendable {
    public struct Endpoints: Sendable, Equatable {
        public var token: String
        public var authorize: String
        public var deviceCode: String
    }

    /// A token endpoint answer: a token, or an OAuth error (which flows inspect: pending, invalid_grant, …).
    public enum TokenResult: Sendable {
        case token(AcquiredToken)
        case error(EntraErrorResponse)
    }

    public let authority: Authority
    let transport: any HTTPTransport
    let now: @Sendable () -> Date
    let log: DiagnosticLog
    /// Set by the first successful discovery; later calls in the run reuse it.
    private let cachedEndpoints = Mutex<Endpoints?>(nil)

    public init(authority: Authority, transport: any HTTPTransport, now: @escaping @Sendable () -> Date, log: DiagnosticLog) {
        self.authority = authority
        self.transport = transport
        self.now = now
        self.log = log
    }

    public func endpoints() async throws -> Endpoints {
        if let cached = cachedEndpoints.withLock({ $0 }) { return cached }
        var discoveryURL = authority.discoveryURL
        if let instanceURL = authority.instanceDiscoveryURL {
            log.verbose(5, "instance discovery: GET \(instanceURL)")
            let response = try await transport.send(.get(instanceURL))
            if let error = EntraErrorResponse(response: response) {
                throw HTTPTransportError("instance discovery failed: \(error); pass --disable-instance-discovery for an authority Entra does not know")
            }
            guard response.status == 200, let object = JSONObject(bytes: response.body),
                  let endpoint = object.string("tenant_discovery_endpoint") else {
                throw HTTPTransportError("instance discovery answered HTTP \(response.status)")
            }
            discoveryURL = endpoint
        }
        log.verbose(5, "tenant discovery: GET \(discoveryURL)")
        let response = try await transport.send(.get(discoveryURL))
        if response.status != 200 {
            if let error = EntraErrorResponse(response: response) {
                throw HTTPTransportError("unable to resolve an endpoint: \(error)")
            }
            throw HTTPTransportError("unable to resolve an endpoint: GET \(discoveryURL) answered HTTP \(response.status)")
        }
        guard let document = JSONObject(bytes: response.body), let token = document.string("token_endpoint"),
              let authorize = document.string("authorization_endpoint") else {
            throw HTTPTransportError("unable to resolve an endpoint: the OpenID configuration at \(discoveryURL) lacks token_endpoint or authorization_endpoint")
        }
        // MSAL Go derives the device-code URL from the token URL when discovery does not name it.
        let deviceCode = document.string("device_authorization_endpoint")
            ?? token.replacingOccurrences(of: "token", with: "devicecode")
        let endpoints = Endpoints(token: token, authorize: authorize, deviceCode: deviceCode)
        cachedEndpoints.withLock { $0 = endpoints }
        return endpoints
    }

    /// POSTs a token request. 200 → token; an OAuth error body → `.error`; anything else throws.
    public func requestToken(_ fields: [(String, String)]) async throws -> TokenResult {
        let endpoint = try await endpoints().token
        return try await post(fields, to: endpoint)
    }

    func post(_ fields: [(String, String)], to endpoint: String) async throws -> TokenResult {
        let grant = fields.first { $0.0 == "grant_type" }?.1 ?? "?"
        log.verbose(5, "POST \(endpoint) grant_type=\(grant)")
        let response = try await transport.send(.form(endpoint, fields))
        if response.status == 200 || response.status == 201 {
            return .token(try TokenResponseParser.parse(response, now: now()))
        }
        if let error = EntraErrorResponse(response: response) { return .error(error) }
        throw HTTPTransportError("POST \(endpoint) answered HTTP \(response.status): \(String(decoding: response.body.prefix(512), as: UTF8.self))")
    }
}
