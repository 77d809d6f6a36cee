import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Password sign-in, TOTP and lockouts")
struct PasswordLockoutTests {
    private static func signIn(_ harness: SignInHarness, _ upn: String, _ password: String,
                               from address: String = "203.0.113.5") async throws -> SignInOutcome {
        try await harness.pages.verifyPassword(tenant: harness.tenant, userPrincipalName: upn,
                                                            password: password, address: address)
    }

    private static func code(_ outcome: SignInOutcome) -> Int? {
        if case .failed(let error) = outcome { return error.code }
        return nil
    }

    @Test func rightPasswordSignsInWrongOneIsGeneric() async throws {
        let harness = try await SignInHarness.make()
        guard case .signedIn(let user, let methods) = try await Self.signIn(harness, "ALICE@contoso.test", UserFixture.password) else {
            Issue.record("alice should sign in (UPN ignoring case)")
            return
        }
        #expect(user.objectID == harness.users.alice.objectID)
        #expect(methods == ["pwd"])
        #expect(Self.code(try await Self.signIn(harness, "alice@contoso.test", "wrong")) == 50126)
        // An unknown user gets exactly the same answer.
        #expect(Self.code(try await Self.signIn(harness, "nobody@contoso.test", "wrong")) == 50126)
    }

    @Test func tenFailuresLockForSixtySecondsThenLonger() async throws {
        let harness = try await SignInHarness.make()
        for _ in 0..<10 {
            #expect(Self.code(try await Self.signIn(harness, "alice@contoso.test", "wrong")) == 50126)
        }
        // Locked: even the right password is refused, without being checked.
        #expect(Self.code(try await Self.signIn(harness, "alice@contoso.test", UserFixture.password, from: "192.0.2.99")) == 50053)
        harness.clock.advance(by: 61)
        guard case .signedIn = try await Self.signIn(harness, "alice@contoso.test", UserFixture.password) else {
            Issue.record("the lockout should be over after 60 s")
            return
        }
        for _ in 0..<10 { _ = try await Self.signIn(harness, "alice@contoso.test", "wrong") }
        harness.clock.advance(by: 61)
        // The second lockout lasts 120 s.
        #expect(Self.code(try await Self.signIn(harness, "alice@contoso.test", UserFixture.password, from: "192.0.2.98")) == 50053)
        harness.clock.advance(by: 60)
        guard case .signedIn = try await Self.signIn(harness, "alice@contoso.test", UserFixture.password, from: "192.0.2.98") else {
            Issue.record("the second lockout should be over after 120 s")
            return
        }
    }

    @Test func unknownUsersLockLikeRealOnes() async throws {
        let harness = try await SignInHarness.make()
        for _ in 0..<10 { _ = try await Self.signIn(harness, "ghost@contoso.test", "wrong", from: "198.51.100.1") }
        #expect(Self.code(try await Self.signIn(harness, "ghost@contoso.test", "wrong", from: "198.51.100.2")) == 50053)
    }

    @Test func oneAddressSprayingManyUsersIsLocked() async throws {
        let harness = try await SignInHarness.make()
        for index in 0..<10 {
            _ = try await Self.signIn(harness, "user\(index)@contoso.test", "Winter2026!", from: "203.0.113.66")
        }
        #expect(Self.code(try await Self.signIn(harness, "alice@contoso.test", UserFixture.password, from: "203.0.113.66")) == 50053)
        // Alice from elsewhere is fine.
        guard case .signedIn = try await Self.signIn(harness, "alice@contoso.test", UserFixture.password, from: "203.0.113.67") else {
            Issue.record("alice from another address should sign in")
            return
        }
    }

    @Test func disabledUserIsToldOnlyWithTheRightPassword() async throws {
        let harness = try await SignInHarness.make()
        _ = try await harness.test.administration.setUserEnabled(tenant: "contoso", id: "alice@contoso.test", enabled: false)
        #expect(Self.code(try await Self.signIn(harness, "alice@contoso.test", "wrong")) == 50126)
        #expect(Self.code(try await Self.signIn(harness, "alice@contoso.test", UserFixture.password)) == 50057)
    }

    @Test func totpIsAskedForAndNotReplayable() async throws {
        let harness = try await SignInHarness.make()
        guard case .needsSecondFactor(let bob) = try await Self.signIn(harness, "bob@contoso.test", UserFixture.password) else {
            Issue.record("bob has TOTP enrolled")
            return
        }
        let signIn = harness.pages
        let wrong = try await signIn.verifySecondFactor(tenant: harness.tenant, userObjectID: bob.objectID, code: "000000",
                                                        address: "203.0.113.5")
        #expect(Self.code(wrong) == 50126)
        let code = harness.bobCode()
        guard case .signedIn(_, let methods) = try await signIn.verifySecondFactor(
            tenant: harness.tenant, userObjectID: bob.objectID, code: code, address: "203.0.113.5") else {
            Issue.record("the current code should be accepted")
            return
        }
        #expect(methods == ["pwd", "mfa"])
        let replay = try await signIn.verifySecondFactor(tenant: harness.tenant, userObjectID: bob.objectID, code: code,
                                                         address: "203.0.113.5")
        #expect(Self.code(replay) == 50126)
        // A code from the next step (clock drift) is accepted.
        let next = harness.bobCode(at: harness.clock.now().addingTimeInterval(30))
        guard case .signedIn = try await signIn.verifySecondFactor(tenant: harness.tenant, userObjectID: bob.objectID,
                                                                   code: next, address: "203.0.113.5") else {
            Issue.record("one step of drift is allowed")
            return
        }
    }

    @Test func passwordGrantOnlyWhenEnabledAndNeverWithMFA() async throws {
        let harness = try await SignInHarness.make()
        let fields = ["grant_type": "password", "client_id": AKS.clientAppID, "username": "alice@contoso.test",
                      "password": UserFixture.password, "scope": "\(AKS.scope) offline_access openid profile"]
        await #expect(throws: OAuthError.passwordGrantNotEnabled(clientID: AKS.clientAppID)) {
            _ = try await harness.test.requestToken(tenant: "contoso", fields)
        }
        _ = try await harness.test.administration.updateApplication(
            tenant: "contoso", id: AKS.clientAppID, changes: ApplicationChanges(isPasswordGrantEnabled: true))
        let response = try await harness.test.requestToken(tenant: "contoso", fields)
        #expect(try await harness.verify(response.accessToken).string("upn") == "alice@contoso.test")
        #expect(response.refreshToken != nil && response.idToken != nil)
        var bob = fields
        bob["username"] = "bob@contoso.test"
        do {
            _ = try await harness.test.requestToken(tenant: "contoso", bob)
            Issue.record("bob has MFA: ROPC must refuse")
        } catch let error as OAuthError {
            #expect(error.code == 50076)
            #expect(error.suberror == "basic_action")
        }
    }
}
