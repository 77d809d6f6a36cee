import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Device code flow (RFC 8628)")
struct DeviceCodeFlowTests {
    @Test func startReturnsEntraShapedCodes() async throws {
        let harness = try await SignInHarness.make()
        let response = try await harness.startDeviceFlow()
        #expect(response.expiresIn == 900)
        #expect(response.interval == 5)
        #expect(response.verificationURI == "\(TestIssuer.issuerURL)/devicelogin")
        #expect(response.message == "To sign in, use a web browser to open the page \(TestIssuer.issuerURL)/devicelogin and enter the code \(response.userCode) to authenticate.")
        // 8 consonants shown as XXXX-XXXX; device code 256 bits in base64url.
        #expect(response.userCode.range(of: #"^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$"#, options: .regularExpression) != nil)
        #expect(response.deviceCode.count >= 43)

        let v2 = response.jsonObject(for: .v2).jsonString
        #expect(v2.contains("\"expires_in\":900") && v2.contains("\"interval\":5") && v2.contains("\"verification_uri\""))
        let v1 = response.jsonObject(for: .v1).jsonString
        #expect(v1.contains("\"expires_in\":\"900\"") && v1.contains("\"interval\":\"5\"") && v1.contains("\"verification_url\""))
    }

    /// Issue 13 should-fix: polling an approved device code through another tenant's token URL
    /// used to mark it redeemed before the tenant was checked, so the real client lost it.
    @Test func aPollThroughAnotherTenantDoesNotBurnTheCode() async throws {
        let harness = try await SignInHarness.make()
        _ = try await harness.test.administration.createTenant(name: "fabrikam")
        let started = try await harness.startDeviceFlow()
        try await harness.approve(started)
        do {
            _ = try await harness.test.requestToken(tenant: "fabrikam", version: .v2, [
                "grant_type": GrantType.deviceCode, "device_code": started.deviceCode, "client_id": AKS.clientAppID])
            Issue.record("a code of contoso must not be redeemed through fabrikam")
        } catch let error as OAuthError {
            #expect(error.error == "bad_verification_code")
        }
        let tokens = try await harness.poll(started.deviceCode)
        #expect(tokens.refreshToken != nil)
    }

    @Test func userCodesIgnoreCaseAndSeparators() {
        #expect(UserCode.normalize("bcdf-ghjk") == "BCDFGHJK")
        #expect(UserCode.normalize(" BCDF GHJK ") == "BCDFGHJK")
        #expect(UserCode.normalize("BCDFGHJK") == "BCDFGHJK")
        #expect(UserCode.normalize("ABCDEFGH") == nil)     // vowels never appear
        #expect(UserCode.normalize("BCDF-GHJ") == nil)
        var seen = Set<String>()
        for _ in 0..<200 { seen.insert(UserCode.generate()) }
        #expect(seen.count == 200)
        #expect(seen.allSatisfy { UserCode.normalize($0) == $0 })
    }

    @Test func pendingThenSlowDownThenExpired() async throws {
        let harness = try await SignInHarness.make()
        let flow = harness.test.issuer.deviceFlow
        let started = try await harness.startDeviceFlow()
        let code = started.deviceCode
        #expect(try await flow.poll(deviceCode: code, clientID: AKS.clientAppID) == .pending)
        harness.clock.advance(by: 2)
        #expect(try await flow.poll(deviceCode: code, clientID: AKS.clientAppID) == .slowDown(interval: 10))
        // The raised interval is remembered: 6 s later is still too soon, 10 s later is fine.
        harness.clock.advance(by: 6)
        #expect(try await flow.poll(deviceCode: code, clientID: AKS.clientAppID) == .slowDown(interval: 15))
        harness.clock.advance(by: 15)
        #expect(try await flow.poll(deviceCode: code, clientID: AKS.clientAppID) == .pending)
        harness.clock.advance(by: 900)
        #expect(try await flow.poll(deviceCode: code, clientID: AKS.clientAppID) == .expired)
        let error = await harness.pollError(code)
        #expect(error?.error == "expired_token")
        #expect(error?.code == 70020)
    }

    @Test func pollingAtTheAdvertisedIntervalNeverSlowsDown() async throws {
        let harness = try await SignInHarness.make()
        let started = try await harness.startDeviceFlow()
        for step in 0..<40 {
            // ±0.9 s of jitter around the 5 s interval.
            harness.clock.advance(by: step.isMultiple(of: 2) ? 4.1 : 5.9)
            #expect(try await harness.test.issuer.deviceFlow.poll(deviceCode: started.deviceCode, clientID: AKS.clientAppID) == .pending)
        }
    }

    @Test func msalGoCadenceGetsItsTokenRightAfterApproval() async throws {
        let harness = try await SignInHarness.make()
        let started = try await harness.startDeviceFlow()
        var outcomes: [DevicePollOutcome] = []
        for wait in [0.05, 0.15, 0.45, 1.35, 4.05, 5, 5, 5] {
            harness.clock.advance(by: wait)
            outcomes.append(try await harness.test.issuer.deviceFlow.poll(deviceCode: started.deviceCode, clientID: AKS.clientAppID))
        }
        // Told to slow down (which MSAL Go treats like pending), never locked out, interval capped.
        #expect(outcomes.allSatisfy { if case .slowDown(let i) = $0 { return i <= 60 }; return $0 == .pending })
        // The cadence starts far below the 5 s interval: at least one poll must have been told so.
        #expect(outcomes.contains { if case .slowDown = $0 { return true }; return false }, "\(outcomes)")
        try await harness.approve(started)
        harness.clock.advance(by: 0.05)
        let response = try await harness.poll(started.deviceCode, grantType: GrantType.deviceCodeShort)
        #expect(!response.accessToken.isEmpty)
    }

    @Test func slowDownIsCapped() async throws {
        let harness = try await SignInHarness.make()
        let started = try await harness.startDeviceFlow()
        var last = DevicePollOutcome.pending
        for _ in 0..<30 {
            harness.clock.advance(by: 0.05)
            last = try await harness.test.issuer.deviceFlow.poll(deviceCode: started.deviceCode, clientID: AKS.clientAppID)
        }
        #expect(last == .slowDown(interval: 60))
    }

    @Test func v1ClientsAreToldToSlowDownAtMostOnce() async throws {
        let harness = try await SignInHarness.make()
        let started = try await harness.startDeviceFlow(version: .v1)
        var slowDowns = 0
        for _ in 0..<10 {
            harness.clock.advance(by: 1)
            if case .slowDown = try await harness.test.issuer.deviceFlow.poll(deviceCode: started.deviceCode, clientID: AKS.clientAppID) {
                slowDowns += 1
            }
        }
        #expect(slowDowns == 1)
        harness.clock.advance(by: 901)
        let error = await harness.pollError(started.deviceCode, version: .v1)
        #expect(error?.error == "code_expired")
    }

    @Test func approvedCodeIsRedeemedOnceWithTheUsersTokens() async throws {
        let harness = try await SignInHarness.make()
        let started = try await harness.startDeviceFlow()
        #expect(await harness.pollError(started.deviceCode)?.error == "authorization_pending")
        try await harness.approve(started)
        // MSAL Python's poll: long grant type, the code in both fields, no scope.
        let response = try await harness.test.requestToken(tenant: "contoso", [
            "grant_type": GrantType.deviceCode, "device_code": started.deviceCode, "code": started.deviceCode,
            "client_id": AKS.clientAppID, "client_info": "1"])
        let claims = try await harness.verify(response.accessToken)
        #expect(claims.string("upn") == "alice@contoso.test")
        #expect(claims.string("oid") == harness.users.alice.objectID)
        #expect(claims.strings("groups").map(Set.init) == Set([harness.users.directory.inner.objectID,
                                                                 harness.users.directory.outer.objectID]))
        #expect(claims.strings("amr") == ["pwd"])
        #expect(claims.string("ipaddr") == defaultClientAddress)
        #expect(claims.string("scp") == "user.read")
        #expect(claims.string("appid") == AKS.clientAppID)
        #expect(claims.string("appidacr") == "0")
        #expect(response.scope == "\(AKS.scope) openid profile offline_access")
        #expect(response.refreshToken != nil)
        let idToken = try DecodedJWT(try #require(response.idToken))
        #expect(idToken.string("aud") == AKS.clientAppID)
        #expect(idToken.string("iss") == "\(TestIssuer.issuerURL)/\(harness.tenant.id)/v2.0")
        #expect(idToken.string("preferred_username") == "alice@contoso.test")
        #expect(idToken.string("sub") == claims.string("sub"))
        #expect(response.clientInfo?.contains("=") == false)

        let again = await harness.pollError(started.deviceCode)
        #expect(again?.error == "invalid_grant")
        #expect(again?.code == 90120)
    }

    @Test func adalPollWithCodeFieldGetsV1Strings() async throws {
        let harness = try await SignInHarness.make()
        let started = try await harness.startDeviceFlow(version: .v1)
        try await harness.approve(started)
        let response = try await harness.poll(started.deviceCode, version: .v1, grantType: GrantType.deviceCodeShort,
                                              codeField: "code")
        #expect(response.resource == AKS.serverAppID)
        let json = String(decoding: response.encoded(for: .v1), as: UTF8.self)
        #expect(json.contains("\"expires_on\":\"") && json.contains("\"resource\":\"\(AKS.serverAppID)\""))
        #expect(try await harness.verify(response.accessToken).string("ver") == "1.0")
    }

    @Test func declinedStaysDeclined() async throws {
        let harness = try await SignInHarness.make()
        let started = try await harness.startDeviceFlow()
        #expect(try await harness.test.issuer.deviceFlow.decline(userCode: started.userCode, userObjectID: nil))
        for _ in 0..<2 {
            harness.clock.advance(by: 5)
            #expect(await harness.pollError(started.deviceCode)?.error == "authorization_declined")
        }
        #expect(try await harness.test.issuer.deviceFlow.approve(userCode: started.userCode, user: harness.users.alice,
                                                                   methods: ["pwd"], authenticatedAt: harness.clock.now()) == false)
        let v1 = try await harness.startDeviceFlow(version: .v1)
        try await harness.test.issuer.deviceFlow.decline(userCode: v1.userCode, userObjectID: nil)
        #expect(await harness.pollError(v1.deviceCode, version: .v1)?.error == "access_denied")
    }

    @Test func codeIsBoundToItsClient() async throws {
        let harness = try await SignInHarness.make()
        let started = try await harness.startDeviceFlow()
        try await harness.approve(started)
        let other = try await harness.test.administration.createApplication(tenant: "contoso", displayName: "other cli",
                                                                              isPublicClient: true)
        let stolen = await harness.pollError(started.deviceCode, client: other.0.appID)
        #expect(stolen?.error == "invalid_grant")
        // The rightful client still gets its token.
        _ = try await harness.poll(started.deviceCode)
        #expect(await harness.pollError("not-a-code")?.error == "bad_verification_code")
    }

    @Test func disabledUserCannotRedeem() async throws {
        let harness = try await SignInHarness.make()
        let started = try await harness.startDeviceFlow()
        try await harness.approve(started)
        _ = try await harness.test.administration.setUserEnabled(tenant: "contoso", id: "alice@contoso.test", enabled: false)
        #expect(await harness.pollError(started.deviceCode)?.code == 50057)
    }

    @Test func unknownClientOrResourceIsRefusedAtStart() async throws {
        let harness = try await SignInHarness.make()
        await #expect(throws: OAuthError.unknownClient("", tenant: "")) {
            _ = try await harness.startDeviceFlow(client: "00000000-0000-0000-0000-000000000001")
        }
        await #expect(throws: OAuthError.self) {
            _ = try await harness.test.issuer.deviceAuthorization.handle(
                tenantSegment: "contoso", version: .v2, parameters: ["client_id": AKS.clientAppID, "scope": "api://nothing/.default"],
                address: "x", correlationID: nil)
        }
    }

    @Test func v2ResourcesGetV2UserTokens() async throws {
        let harness = try await SignInHarness.make()
        let (api, _) = try await harness.test.administration.createApplication(
            tenant: "contoso", displayName: "inventory api", identifierURIs: ["api://inventory"], accessTokenVersion: 2,
            exposedScopes: ["inventory.read", "inventory.write"])
        let started = try await harness.test.issuer.deviceAuthorization.handle(
            tenantSegment: "contoso", version: .v2,
            parameters: ["client_id": AKS.clientAppID, "scope": "api://inventory/inventory.read openid offline_access"],
            address: "198.51.100.7", correlationID: nil)
        try await harness.approve(started)
        let response = try await harness.poll(started.deviceCode)
        #expect(response.scope == "api://inventory/inventory.read openid offline_access")
        let claims = try await harness.test.verify(response.accessToken, audience: api.appID, tenantID: harness.tenant.id,
                                                   version: 2)
        #expect(claims.string("ver") == "2.0")
        #expect(claims.string("azp") == AKS.clientAppID)
        #expect(claims.string("azpacr") == "0")
        #expect(claims.string("preferred_username") == "alice@contoso.test")
        #expect(claims.string("scp") == "inventory.read")
        #expect(!claims.contains("upn") && !claims.contains("appid") && !claims.contains("amr"))
    }
}
