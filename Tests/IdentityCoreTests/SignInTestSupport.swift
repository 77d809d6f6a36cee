import Cryptography
import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

/// An issuer with the directory and user fixtures, and helpers that drive the user flows the
/// way the pages and clients do.
struct SignInHarness: Sendable {
    let test: TestIssuer
    let users: UserFixture
    var tenant: Tenant { users.directory.tenant }
    var clock: ManualClock { test.clock }

    static func make(configure: (inout IssuerConfiguration) -> Void = { _ in }) async throws -> SignInHarness {
        let test = try await TestIssuer.make(configure: configure)
        let directory = try await DirectoryFixture.make(in: test)
        return SignInHarness(test: test, users: try await UserFixture.make(in: test, directory: directory))
    }

    /// Starts a device flow for the AKS client, v2 unless told otherwise.
    func startDeviceFlow(version: EndpointVersion = .v2, client: String = AKS.clientAppID) async throws -> DeviceAuthorizationResponse {
        let parameters = version == .v2 ? ["client_id": client, "scope": "\(AKS.scope) offline_access openid profile"]
                                        : ["client_id": client, "resource": AKS.serverAppID]
        return try await test.issuer.deviceAuthorization.handle(tenantSegment: "contoso", version: version,
                                                                parameters: parameters, address: "198.51.100.7",
                                                                correlationID: nil)
    }

    /// What MSAL Python sends when polling.
    func poll(_ deviceCode: String, version: EndpointVersion = .v2, grantType: String = GrantType.deviceCode,
              codeField: String = "device_code", client: String = AKS.clientAppID) async throws -> TokenResponse {
        try await test.requestToken(tenant: "contoso", version: version,
                                    ["grant_type": grantType, codeField: deviceCode, "client_id": client])
    }

    /// The OAuth error a poll fails with (nil and a test failure if it succeeds).
    func pollError(_ deviceCode: String, version: EndpointVersion = .v2, client: String = AKS.clientAppID,
                   sourceLocation: SourceLocation = #_sourceLocation) async -> OAuthError? {
        do {
            _ = try await poll(deviceCode, version: version, client: client)
            Issue.record("the poll succeeded", sourceLocation: sourceLocation)
            return nil
        } catch let error as OAuthError {
            return error
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Approves as `user` (password only, `amr` ["pwd"]).
    func approve(_ response: DeviceAuthorizationResponse, as user: User? = nil) async throws {
        let approved = try await test.issuer.deviceFlow.approve(userCode: response.userCode, user: user ?? users.alice,
                                                                methods: ["pwd"], authenticatedAt: clock.now())
        #expect(approved)
    }

    /// A full device sign-in for alice; returns the token response.
    func signInWithDeviceCode(as user: User? = nil) async throws -> TokenResponse {
        let started = try await startDeviceFlow()
        try await approve(started, as: user)
        return try await poll(started.deviceCode)
    }

    func verify(_ token: String, version: Int = 1) async throws -> JWTClaims {
        try await test.verify(token, audience: AKS.serverAppID, tenantID: tenant.id, version: version)
    }

    func refresh(_ token: String, scope: String? = AKS.scope, client: String = AKS.clientAppID,
                 address: String = defaultClientAddress) async throws -> TokenResponse {
        var parameters = ["grant_type": "refresh_token", "refresh_token": token, "client_id": client]
        if let scope { parameters["scope"] = scope }
        return try await test.requestToken(tenant: "contoso", parameters, from: address)
    }

    func refreshError(_ token: String, scope: String? = AKS.scope, sourceLocation: SourceLocation = #_sourceLocation) async -> OAuthError? {
        do {
            _ = try await refresh(token, scope: scope)
            Issue.record("the refresh succeeded", sourceLocation: sourceLocation)
            return nil
        } catch let error as OAuthError {
            return error
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The current TOTP code of bob's enrolment.
    func bobCode(at date: Date? = nil) -> String {
        OneTimePassword.totp(secret: UserFixture.secret(of: users.bobTOTP),
                             unixTime: Int64((date ?? clock.now()).timeIntervalSince1970))
    }
}

/// What one step of the sign-in pages came to, in the words the tests use.
enum SignInOutcome: Sendable {
    case signedIn(User, methods: [String])
    case needsSecondFactor(User)
    case failed(OAuthError)
}

/// Drives ``InteractiveSignIn`` the way the device-login pages do, one step at a time, with a
/// browser session made for the step.
struct PageSignIn: Sendable {
    let harness: SignInHarness

    private func attempt(address: String) async throws -> InteractiveSignIn.Attempt {
        let directory = harness.test.issuer.directory
        let client = try #require(try await directory.client(tenantID: harness.tenant.id, clientID: AKS.clientAppID))
        return InteractiveSignIn.Attempt(
            tenant: harness.tenant, client: client.application,
            resource: try await directory.resource(tenantID: harness.tenant.id, identifier: AKS.serverAppID),
            flow: .deviceCode, clientAddress: address, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0",
            correlationID: "00000000-0000-0000-0000-00000000c0de")
    }

    private func outcome(_ step: InteractiveSignIn.Step, tenant: Tenant) async throws -> SignInOutcome {
        switch step {
        case .signedIn(let user, let signedIn): return .signedIn(user, methods: signedIn.methods)
        case .askPassword(let failure): return .failed(failure ?? .signInSessionExpired)
        case .askSecondFactor(let upn, let failure?):
            _ = upn
            return .failed(failure)
        case .askSecondFactor(let upn, nil):
            let user = try #require(try await harness.test.store.user(tenantID: tenant.id, userPrincipalName: upn))
            return .needsSecondFactor(user)
        }
    }

    func verifyPassword(tenant: Tenant, userPrincipalName: String, password: String,
                        address: String) async throws -> SignInOutcome {
        var session = BrowserSession.fresh(now: harness.clock.now(), lifetime: 3600)
        let step = try await harness.test.issuer.interactiveSignIn.submitPassword(
            try await attempt(address: address), userPrincipalName: userPrincipalName, password: password, session: &session)
        return try await outcome(step, tenant: tenant)
    }

    func verifySecondFactor(tenant: Tenant, userObjectID: String, code: String, address: String) async throws -> SignInOutcome {
        let user = try #require(try await harness.test.store.user(tenantID: tenant.id, objectID: userObjectID))
        var session = BrowserSession.fresh(now: harness.clock.now(), lifetime: 3600)
        session.pendingSecondFactor = .init(tenantID: tenant.id, objectID: userObjectID, userPrincipalName: user.userPrincipalName,
                                            authenticatedAt: Int(harness.clock.now().timeIntervalSince1970), methods: ["pwd"])
        let step = try await harness.test.issuer.interactiveSignIn.submitSecondFactor(
            try await attempt(address: address), code: code, session: &session)
        return try await outcome(step, tenant: tenant)
    }
}

extension SignInHarness {
    /// The sign-in pages' steps.
    var pages: PageSignIn { PageSignIn(harness: self) }
}
