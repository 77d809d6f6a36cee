import Cryptography
import Foundation
import OAuthProtocol

/// Authenticates the client of a token request: `client_secret_post`, `client_secret_basic`,
/// `private_key_jwt` with a registered certificate, or a federated assertion from a trusted
/// external issuer. Every failure is an Entra-shaped ``OAuthError``.
public struct ClientAuthenticator: Sendable {
    private let directory: DirectoryView
    private let hasher: SecretHasher
    private let replayCache: any ReplayCache
    private let throttle: FailureThrottle
    private let externalKeys: any ExternalIssuerKeySource
    private let urls: IssuerURLs
    private let clock: any IdentityClock
    private let assertionVerifier = JWTVerifier(engine: .libjwt, allowPaddedSegments: true)

    /// Client assertions may not claim to live longer than this (the issue's rule: `exp` at
    /// most 10 minutes ahead; MSAL makes them last exactly 10 minutes).
    static let maximumAssertionLifetime: TimeInterval = 600
    static let clockSkew: TimeInterval = 60

    public init(directory: DirectoryView, hasher: SecretHasher, replayCache: any ReplayCache, throttle: FailureThrottle,
                externalKeys: any ExternalIssuerKeySource, urls: IssuerURLs, clock: any IdentityClock) {
        self.directory = directory
        self.hasher = hasher
        self.replayCache = replayCache
        self.throttle = throttle
        self.externalKeys = externalKeys
        self.urls = urls
        self.clock = clock
    }

    public func authenticate(_ request: TokenRequest, tenant: Tenant) async throws -> AuthenticatedClient {
        let clientID = try resolveClientID(request)
        let throttleKey = "\(tenant.id)/\(clientID.lowercased())/\(request.clientAddress)"
        if let retryAfter = throttle.retryAfter(throttleKey) {
            throw OAuthError.tooManyRequests(retryAfter: retryAfter)
        }
        do {
            return try await authenticate(request, tenant: tenant, clientID: clientID)
        } catch let error as OAuthError where error.httpStatus == 401 || error.code == 700016 {
            throttle.recordFailure(throttleKey)
            throw error
        }
    }

    private func authenticate(_ request: TokenRequest, tenant: Tenant, clientID: String) async throws -> AuthenticatedClient {
        guard let record = try await directory.client(tenantID: tenant.id, clientID: clientID) else {
            throw OAuthError.unknownClient(clientID, tenant: tenant.id)
        }
        guard let principal = record.servicePrincipal, principal.accountEnabled else {
            throw OAuthError.clientDisabled(clientID)
        }
        if let assertion = request.parameter("client_assertion") {
            guard request.parameter("client_assertion_type") == GrantType.jwtBearerAssertionType else {
                throw OAuthError.invalidParameter("client_assertion_type",
                                                  "It must be '\(GrantType.jwtBearerAssertionType)'.")
            }
            guard request.parameter("client_secret") == nil, request.basicClientSecret == nil else {
                throw OAuthError.invalidParameter("client_assertion", "Send either a client assertion or a client secret, not both.")
            }
            return try await authenticateAssertion(assertion, record: record, tenant: tenant, request: request)
        }
        if let secret = try presentedSecret(request) {
            return try authenticateSecret(secret, record: record)
        }
        throw record.application.isPublicClient ? OAuthError.publicClientCannotUseClientCredentials
                                                : OAuthError.missingClientCredential
    }

    // MARK: Client id and secret

    private func resolveClientID(_ request: TokenRequest) throws -> String {
        let bodyID = request.parameter("client_id")
        if let bodyID, let basicID = request.basicClientID, bodyID != basicID {
            throw OAuthError.invalidParameter("client_id", "It differs from the client id in the Authorization header.")
        }
        guard let clientID = bodyID ?? request.basicClientID else { throw OAuthError.missingParameter("client_id") }
        return clientID
    }

    private func presentedSecret(_ request: TokenRequest) throws -> String? {
        let post = request.parameter("client_secret")
        if post != nil, request.basicClientSecret != nil {
            throw OAuthError.invalidParameter("client_secret", "Use one client authentication method, not both Basic and client_secret.")
        }
        return post ?? request.basicClientSecret
    }

    private func authenticateSecret(_ secret: String, record: ClientRecord) throws -> AuthenticatedClient {
        let now = clock.now()
        var matchedExpired = false
        for stored in record.secrets where hasher.matches(secret, storedHash: stored.secretHash) {
            if stored.expiresAt > now { return AuthenticatedClient(record: record, method: .clientSecret) }
            matchedExpired = true
        }
        throw matchedExpired ? OAuthError.expiredClientSecret(clientID: record.application.appID)
                             : OAuthError.invalidClientSecret(clientID: record.application.appID)
    }

    // MARK: Assertions

    private func authenticateAssertion(_ assertion: String, record: ClientRecord, tenant: Tenant,
                                       request: TokenRequest) async throws -> AuthenticatedClient {
        let unverified: JWTClaims
        do {
            unverified = try UnverifiedJWT.claims(of: assertion)
        } catch {
            throw OAuthError.invalidClientAssertion("The assertion is not a well-formed JWT.")
        }
        if unverified.issuer == record.application.appID {
            return try await authenticateCertificateAssertion(assertion, record: record, tenant: tenant, request: request)
        }
        return try await authenticateFederatedAssertion(assertion, unverified: unverified, record: record)
    }

    private func authenticateCertificateAssertion(_ assertion: String, record: ClientRecord, tenant: Tenant,
                                                  request: TokenRequest) async throws -> AuthenticatedClient {
        let now = clock.now()
        let verified: VerifiedJWT
        do {
            verified = try assertionVerifier.verify(assertion) { header in
                try CertificateKeySelector.key(for: header, certificates: record.certificates, now: now)
            }
        } catch let error as OAuthError {
            throw error
        } catch let error as CryptoError where error.code == .unknownKey {
            throw OAuthError.unknownCertificate(clientID: record.application.appID)
        } catch {
            throw OAuthError.invalidClientAssertion("\(error)")
        }
        let claims = verified.claims
        guard claims.subject == record.application.appID else { throw OAuthError.assertionSubjectMismatch }
        let audiences = urls.tokenEndpointAudiences(tenantID: tenant.id, tenantName: tenant.name)
        guard claims.audiences.contains(where: audiences.contains) else {
            throw OAuthError.invalidClientAssertion("The audience '\(claims.audiences.joined(separator: ","))' is not this tenant's token endpoint.")
        }
        try checkTimes(claims, now: now)
        guard let jwtID = claims.jwtID, !jwtID.isEmpty, jwtID.count <= 256 else {
            throw OAuthError.invalidClientAssertion("The assertion has no 'jti'.")
        }
        let expiry = claims.expiresAt ?? now
        let signedAt = claims.issuedAt ?? claims.notBefore ?? expiry.addingTimeInterval(-Self.maximumAssertionLifetime)
        try await AssertionReplayGuard(cache: replayCache).admit(
            assertion: assertion, jwtID: jwtID, namespace: "client-assertion/\(tenant.id)/\(record.application.appID)",
            presenter: request.clientAddress, signedAt: signedAt,
            expiresAt: expiry.addingTimeInterval(Self.clockSkew), now: now)
        return AuthenticatedClient(record: record, method: .certificate)
    }

    private func checkTimes(_ claims: JWTClaims, now: Date) throws {
        guard let expiresAt = claims.expiresAt else {
            throw OAuthError.clientAssertionTimeInvalid("The assertion has no 'exp'.")
        }
        if expiresAt.addingTimeInterval(Self.clockSkew) < now {
            throw OAuthError.clientAssertionTimeInvalid("The assertion expired at \(Int(expiresAt.timeIntervalSince1970)).")
        }
        if expiresAt > now.addingTimeInterval(Self.maximumAssertionLifetime + Self.clockSkew) {
            throw OAuthError.clientAssertionTimeInvalid("The assertion's 'exp' is more than 10 minutes in the future.")
        }
        if let notBefore = claims.notBefore, notBefore > now.addingTimeInterval(Self.clockSkew) {
            throw OAuthError.clientAssertionTimeInvalid("The assertion is not valid before \(Int(notBefore.timeIntervalSince1970)).")
        }
    }

    private func authenticateFederatedAssertion(_ assertion: String, unverified: JWTClaims,
                                                record: ClientRecord) async throws -> AuthenticatedClient {
        let issuer = unverified.issuer ?? ""
        let subject = unverified.subject ?? ""
        let audienceText = unverified.audiences.joined(separator: ",")
        let candidates = record.federatedCredentials.filter { $0.issuer == issuer }
        guard !candidates.isEmpty else {
            throw OAuthError.noMatchingFederatedCredential(issuer: issuer, subject: subject, audience: audienceText)
        }
        let verified: VerifiedJWT
        do {
            let header = try UnverifiedJWT.header(of: assertion)
            guard let key = try await externalKeys.verificationKey(issuer: issuer, keyID: header.keyID) else {
                throw OAuthError.invalidClientAssertion("The issuer '\(issuer)' publishes no key '\(header.keyID ?? "")'.")
            }
            verified = try JWTVerifier(engine: .libjwt).verify(assertion) { presented in
                presented.keyID == header.keyID ? key : nil
            }
            try verified.claims.validate(now: clock.now(), issuer: issuer, audience: nil)
        } catch let error as OAuthError {
            throw error
        } catch let refusal as ExternalIssuerDiscovery.Refusal {
            throw OAuthError.invalidClientAssertion(
                "The federated credential's issuer '\(issuer.prefix(200))' cannot be trusted: \(refusal) (OpenID Connect Discovery 1.0 §4.3).")
        } catch let error as CryptoError where error.code == .expired || error.code == .notYetValid {
            throw OAuthError.clientAssertionTimeInvalid("\(error)")
        } catch let error as CryptoError {
            throw OAuthError.invalidClientAssertion("\(error)")
        } catch {
            throw OAuthError.invalidClientAssertion("The issuer '\(issuer)' could not be reached to verify the assertion.")
        }
        let claims = verified.claims
        let matches = candidates.contains { credential in
            credential.subject == claims.subject && claims.audiences.contains(where: credential.audiences.contains)
        }
        guard matches else {
            throw OAuthError.noMatchingFederatedCredential(issuer: issuer, subject: claims.subject ?? "",
                                                           audience: claims.audiences.joined(separator: ","))
        }
        return AuthenticatedClient(record: record, method: .federatedAssertion)
    }
}
