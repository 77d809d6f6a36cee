import Cryptography
import Foundation
import OAuthProtocol

/// `GET /{tenant}/oauth2/v2.0/authorize` and v1 `/{tenant}/oauth2/authorize`: validates the
/// request and, once the user signed in on the page, issues a single-use code bound to the
/// client, the redirect URI and the PKCE challenge (required of every client but a confidential
/// one an administrator allowed to go without).
public struct AuthorizeEndpoint: Sendable {
    let directory: DirectoryView
    let store: any AuthorizationCodeStore
    let urls: IssuerURLs
    let clock: any IdentityClock
    /// Codes live a minute (short-lived and single use, RFC 6819 §5.1.5.3-5.1.5.4).
    public let codeLifetime: TimeInterval

    public func validate(tenantSegment: String, version: EndpointVersion,
                         parameters: [String: String]) async throws -> AuthorizationRequest {
        func parameter(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let tenant = try await directory.tenant(tenantSegment) else {
            throw AuthorizationFailure.page(title: "We couldn't find that organization",
                                            message: "The sign-in link names a directory that doesn't exist. Check the address with the application's owner.")
        }
        guard let clientID = parameter("client_id"),
              let record = try await directory.client(tenantID: tenant.id, clientID: clientID),
              record.servicePrincipal?.accountEnabled == true else {
            throw AuthorizationFailure.page(title: "Unknown application",
                                            message: "The application that sent you here is not registered in this directory.")
        }
        let client = record.application
        guard let redirectURI = parameter("redirect_uri"), RedirectURIPolicy.matches(redirectURI, registered: client.redirectURIs) else {
            throw AuthorizationFailure.page(title: "The reply address doesn't match",
                                            message: "AADSTS50011: The redirect URI in the request does not match the redirect URIs configured for the application '\(client.appID)'.")
        }
        let issuer = version == .v2 ? urls.v2Issuer(tenantID: tenant.id) : urls.v1Issuer(tenantID: tenant.id)
        let requestedMode = parameter("response_mode")
        let responseMode = ResponseMode(rawValue: requestedMode ?? "query") ?? .query
        let state = parameters["state"]
        func refuse(_ error: String, _ description: String) -> AuthorizationFailure {
            var reply = [("error", error), ("error_description", description)]
            if let state { reply.append(("state", state)) }
            reply.append(("iss", issuer))
            return .redirect(AuthorizationReply(redirectURI: redirectURI, responseMode: responseMode, parameters: reply))
        }
        func refusal(_ error: OAuthError) -> AuthorizationFailure { refuse(error.error, error.aadstsDescription) }
        guard parameter("response_type") == "code" else {
            throw refuse("unsupported_response_type", "AADSTS700054: Only response_type 'code' is supported; the implicit grant is disabled.")
        }
        guard requestedMode == nil || ResponseMode(rawValue: requestedMode ?? "") != nil else {
            throw refuse("invalid_request", "AADSTS900144: response_mode must be 'query' or 'form_post'.")
        }
        let scope: UserScope
        do {
            scope = try UserScope.parse(version: version, parameter: parameter)
        } catch let error as OAuthError {
            throw refuse(error.error, error.aadstsDescription)
        }
        guard let resource = try await directory.resource(tenantID: tenant.id, identifier: scope.resourceIdentifier) else {
            throw refuse("invalid_resource", OAuthError.resourceNotFound(scope.resourceIdentifier, tenant: tenant.id).aadstsDescription)
        }
        do {
            _ = try scope.grantedScopes(of: resource)
        } catch let error as OAuthError {
            throw refuse(error.error, error.aadstsDescription)
        }
        // PKCE for every client, confidential ones too (RFC 9700 §2.1.1): a client secret does
        // not stop an attacker injecting a stolen code into the client's own session (§4.5);
        // a challenge bound to that session does. MSAL and kubelogin always send one; only a
        // confidential client an administrator allowed may go without (never a public one).
        let challenge = parameter("code_challenge")
        if let challenge {
            guard parameter("code_challenge_method") == "S256" else { throw refusal(.pkceMethodNotS256) }
            guard PKCE.isWellFormed(challenge) else { throw refusal(.pkceChallengeMalformed) }
        } else if client.isPublicClient || !client.allowsCodeWithoutPKCE {
            throw refusal(.pkceRequired)
        } else if parameter("code_challenge_method") != nil {
            throw refusal(.pkceMethodWithoutChallenge)
        }
        let prompt = parameter("prompt")
        if let prompt, !["login", "none", "select_account", "consent"].contains(prompt) {
            throw refuse("invalid_request", "AADSTS90023: The prompt value '\(prompt)' is not supported.")
        }
        return AuthorizationRequest(tenant: tenant, version: version, client: client, redirectURI: redirectURI,
                                    responseMode: responseMode, state: state, nonce: parameters["nonce"], scope: scope,
                                    resource: resource, codeChallenge: challenge, prompt: prompt,
                                    loginHint: parameter("login_hint"), issuer: issuer)
    }

    /// Issues the code for a signed-in user and builds the reply (`code`, `state`, `iss`, `client_info`).
    public func issueCode(for request: AuthorizationRequest, user: User, authenticatedAt: Date, methods: [String],
                          address: String) async throws -> AuthorizationReply {
        let code = Base64URL.encode(SecureRandom.bytes(32))
        let now = clock.now()
        try await store.createAuthorizationCode(AuthorizationCodeRecord(
            codeHash: AuthorizationCodeGrant.hash(code), tenantID: request.tenant.id, clientID: request.client.appID,
            redirectURI: request.redirectURI, scope: request.scope.stored(resourceAppID: request.resource.appID),
            resource: request.scope.resourceIdentifier, endpointVersion: request.version.rawValue,
            codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallenge == nil ? nil : "S256",
            nonce: request.nonce, userObjectID: user.objectID, authenticatedAt: authenticatedAt,
            authenticationMethods: methods, createdAt: now, expiresAt: now.addingTimeInterval(codeLifetime),
            clientAddress: address))
        var parameters = [("code", code)]
        if let state = request.state { parameters.append(("state", state)) }
        parameters.append(("iss", request.issuer))
        parameters.append(("client_info", ClientInfo.encode(userObjectID: user.objectID, tenantID: request.tenant.id)))
        return AuthorizationReply(redirectURI: request.redirectURI, responseMode: request.responseMode, parameters: parameters)
    }
}
