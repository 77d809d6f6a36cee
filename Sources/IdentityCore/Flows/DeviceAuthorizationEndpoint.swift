import OAuthProtocol

/// `POST /{tenant}/oauth2/v2.0/devicecode` and v1 `/{tenant}/oauth2/devicecode`: checks the
/// client and the resource, then starts a ``DeviceCodeFlow``.
public struct DeviceAuthorizationEndpoint: Sendable {
    let directory: DirectoryView
    let flow: DeviceCodeFlow
    /// Bounds `/devicecode` per client and source network (each call stores a pending code).
    var throttle: SignInThrottle?

    public func handle(tenantSegment: String, version: EndpointVersion, parameters: [String: String], address: String,
                       correlationID: String?) async throws -> DeviceAuthorizationResponse {
        func parameter(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let tenant = try await directory.tenant(tenantSegment) else { throw OAuthError.tenantNotFound(tenantSegment) }
        guard let clientID = parameter("client_id") else { throw OAuthError.missingParameter("client_id") }
        guard let client = try await directory.client(tenantID: tenant.id, clientID: clientID) else {
            throw OAuthError.unknownClient(clientID, tenant: tenant.id)
        }
        guard let principal = client.servicePrincipal, principal.accountEnabled else {
            throw OAuthError.clientDisabled(client.application.appID)
        }
        if let throttle, let retryAfter = try await throttle.deviceCodeRequestRetryAfter(clientID: client.application.appID,
                                                                                          address: address) {
            throw OAuthError.tooManyRequests(retryAfter: retryAfter)
        }
        let scope = try UserScope.parse(version: version, parameter: parameter)
        guard let resource = try await directory.resource(tenantID: tenant.id, identifier: scope.resourceIdentifier) else {
            throw OAuthError.resourceNotFound(scope.resourceIdentifier, tenant: tenant.id)
        }
        _ = try scope.grantedScopes(of: resource)
        return try await flow.start(tenantID: tenant.id, clientID: client.application.appID,
                                    scope: version == .v2 ? (parameter("scope") ?? "") : "",
                                    resource: scope.resourceIdentifier, version: version, address: address,
                                    correlationID: correlationID)
    }
}
