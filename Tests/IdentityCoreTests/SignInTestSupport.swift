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
