import Logging
import OAuthProtocol

/// Dispatches token requests to the enabled grants.
///
/// Outcomes: a ``TokenResponse`` or an ``OAuthError`` (thrown). Store outages become
/// `temporarily_unavailable`; nothing else escapes as a server error.
public struct TokenEndpoint: Sendable {
    private let grants: [String: any TokenGrant]
    private let tenants: any TenantLookup
    private let logger: Logger

    public init(grants: [any TokenGrant], tenants: any TenantLookup, logger: Logger = Logger(label: "kubeid.token")) {
        var byType: [String: any TokenGrant] = [:]
        for grant in grants {
            for type in grant.grantTypes { byType[type] = grant }
        }
        self.grants = byType
        self.tenants = tenants
        self.logger = logger
    }

    public func handle(_ request: TokenRequest) async throws -> TokenResponse {
        do {
            guard let tenant = try await tenants.tenant(request.tenantSegment) else {
                throw OAuthError.tenantNotFound(request.tenantSegment)
            }
            let grantType = try request.requireParameter("grant_type")
            guard let grant = grants[grantType] else { throw OAuthError.unsupportedGrantType(grantType) }
            return try await grant.issue(request, tenant: tenant)
        } catch let error as OAuthError {
            throw error
        } catch let error as StoreError {
            logger.error("store failure during token request", metadata: ["error": "\(error)"])
            throw OAuthError.temporarilyUnavailable
        }
    }
}

/// Finds a tenant by the path segment (id or name). The cached directory view implements it.
public protocol TenantLookup: Sendable {
    func tenant(_ idOrName: String) async throws -> Tenant?
}
