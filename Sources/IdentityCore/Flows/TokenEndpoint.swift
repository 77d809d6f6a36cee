import Logging
import OAuthProtocol

/// The token endpoint's dispatcher. It owns the phases every grant shares, in this order, so a
/// grant cannot forget one:
///
/// 1. find the tenant and the grant;
/// 2. the grant's own parameter checks;
/// 3. resolve the client (authenticated for client credentials, public or not for user grants);
/// 4. the grant's own work: who is signing in, for which resource;
/// 5. the access decision (``AccessPolicy``): a refresh can be refused like a password sign-in;
/// 6. mint the tokens;
/// 7. record the attempt in the sign-in log, success or failure (pending device-code polls are
///    not sign-ins and are not recorded).
///
/// Outcomes: a ``TokenResponse`` or an ``OAuthError`` (thrown). Store outages become
/// `temporarily_unavailable`; nothing else escapes as a server error.
public struct TokenEndpoint: Sendable {
    private let grants: [String: any TokenGrant]
    private let tenants: any TenantLookup
    private let clients: ClientResolver
    private let directory: DirectoryView
    private let policy: any AccessPolicy
    private let userTokens: UserTokenMinter
    private let issuer: TokenIssuer
    private let signIns: SignInLog
    private let metrics: IssuerMetrics
    private let logger: Logger

    init(grants: [any TokenGrant], tenants: any TenantLookup, clients: ClientResolver, directory: DirectoryView,
         policy: any AccessPolicy, userTokens: UserTokenMinter, issuer: TokenIssuer, signIns: SignInLog,
         metrics: IssuerMetrics = .disabled, logger: Logger = Logger(label: "kubeid.token")) {
        self.metrics = metrics
        var byType: [String: any TokenGrant] = [:]
        for grant in grants {
            for type in grant.grantTypes { byType[type] = grant }
        }
        self.grants = byType
        self.tenants = tenants
        self.clients = clients
        self.directory = directory
        self.policy = policy
        self.userTokens = userTokens
        self.issuer = issuer
        self.signIns = signIns
        self.logger = logger
    }

    public func handle(_ request: TokenRequest) async throws -> TokenResponse {
        do {
            guard let tenant = try await tenants.tenant(request.tenantSegment) else {
                throw OAuthError.tenantNotFound(request.tenantSegment)
            }
            let grantType = try request.requireParameter("grant_type")
            guard let grant = grants[grantType] else { throw OAuthError.unsupportedGrantType(grantType) }
            var context = SignInContext(
                tenant: tenant, flow: grant.flow, isInteractive: Self.isInteractive(grant.flow),
                correlationID: request.correlationID ?? ObjectID.make(), clientAddress: request.clientAddress,
                userAgent: request.userAgent, requestedClientID: request.parameter("client_id") ?? request.basicClientID)
            do {
                let response = try await run(grant, request, context: &context)
                signIns.recordSuccess(context)
                metrics.tokenIssued(flow: grant.flow, version: context.resource?.accessTokenVersion ?? 1)
                return response
            } catch let error as OAuthError {
                if !Self.isPendingPoll(error) {
                    await identifyClient(&context)
                    signIns.recordFailure(context, error: error)
                }
                throw error
            }
        } catch let error as OAuthError {
            throw error
        } catch let error as StoreError {
            logger.error("store failure during token request", metadata: ["error": "\(error)"])
            throw OAuthError.temporarilyUnavailable
        }
    }

    private func run(_ grant: any TokenGrant, _ request: TokenRequest, context: inout SignInContext) async throws -> TokenResponse {
        try grant.validate(request, tenant: context.tenant)
        let client = try await clients.resolve(request, tenant: context.tenant, requirement: grant.clientRequirement)
        context.client = client.application
        let outcome: GrantOutcome
        do {
            outcome = try await grant.authorize(request, client: client, context: &context)
        } catch is AccessDecisionNeeded {
            throw try await policy.evaluate(context).error ?? OAuthError.invalidUsernameOrPassword
        }
        if let refusal = try await policy.evaluate(context).error { throw refusal }
        switch outcome {
        case .user(let grant):
            let (response, tokenID) = try await userTokens.mint(grant)
            context.tokenID = tokenID
            return response
        case .application(let grant):
            let groups = try await directory.transitiveGroups(tenantID: context.tenant.id, memberID: grant.principal.objectID)
            let token = try await issuer.issueAppToken(tenant: context.tenant, client: grant.client, principal: grant.principal,
                                                       resource: grant.resource, audience: grant.audience, groupIDs: groups,
                                                       roles: grant.roles)
            context.tokenID = token.tokenID
            return TokenResponse(accessToken: token.token, expiresIn: token.expiresIn, expiresOn: token.expiresOn,
                                 notBefore: token.issuedAt, resource: request.version == .v1 ? grant.audience : nil)
        }
    }

    /// A refused client (wrong secret, unknown certificate) is still recorded under its name:
    /// the directory cache knows the application and, for app sign-ins, its service principal.
    private func identifyClient(_ context: inout SignInContext) async {
        guard context.client == nil, let clientID = context.requestedClientID,
              let record = try? await directory.client(tenantID: context.tenant.id, clientID: clientID) else { return }
        context.client = record.application
        if context.flow.isApplicationSignIn, context.subject == nil, let principal = record.servicePrincipal {
            context.subject = .servicePrincipal(principal)
        }
    }

    /// Device code and authorization code redeem what a person did on the sign-in pages.
    static func isInteractive(_ flow: SignInFlow) -> Bool {
        flow == .deviceCode || flow == .authorizationCode || flow == .password
    }

    static func isPendingPoll(_ error: OAuthError) -> Bool {
        error.error == "authorization_pending" || error.error == "slow_down"
    }
}

/// Finds a tenant by the path segment (id or name). The cached directory view implements it.
public protocol TenantLookup: Sendable {
    func tenant(_ idOrName: String) async throws -> Tenant?
}
