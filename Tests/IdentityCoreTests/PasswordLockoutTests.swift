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
        // Alice's own address is familiar now (smart lockout counts familiar and unfamiliar
        // locations apart): the second round comes from elsewhere again.
        for _ in 0..<10 { _ = try await Self.signIn(harness, "alice@contoso.test", "wrong", from: "192.0.2.97") }
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
        for index in 0..<SignInThrottle.Policy().addressFailures {
            _ = try await Self.signIn(harness, "user\(index)@contoso.test", "Winter2026!", from: "203.0.113.66")
        }
        #expect(Self.code(try await Self.signIn(harness, "alice@contoso.test", UserFixture.password, from: "203.0.113.66")) == 50053)
        // Alice from elsewhere is fine.
        guard case .signedIn = try await Self.signIn(harness, "alice@contoso.test", UserFixture.password, from: "203.0.113.67") else {
            Issue.record("alice from another address should sign in")
            return
        }
    }

    /// Issue 13 item 5: ten wrong passwords from behind one NAT (for other accounts) used to lock
    /// the address, and so everyone behind it.
    @Test func tenWrongPasswordsBehindANATDoNotLockOthersOut() async throws {
        let harness = try await SignInHarness.make()
        for index in 0..<10 {
            _ = try await Self.signIn(harness, "user\(index)@contoso.test", "typo", from: "198.51.100.200")
        }
        guard case .signedIn = try await Self.signIn(harness, "alice@contoso.test", UserFixture.password, from: "198.51.100.200") else {
            Issue.record("alice behind the same NAT must still sign in")
            return
        }
    }

    /// Issue 13 item 5, Entra smart lockout: an attacker elsewhere locking alice's account does
    /// not lock her out where she usually signs in.
    @Test func lockoutFromAnUnfamiliarLocationSparesTheFamiliarOne() async throws {
        let harness = try await SignInHarness.make()
        guard case .signedIn = try await Self.signIn(harness, "alice@contoso.test", UserFixture.password, from: "203.0.113.5") else {
            Issue.record("alice should sign in")
            return
        }
        for _ in 0..<10 { _ = try await Self.signIn(harness, "alice@contoso.test", "guess", from: "198.51.100.9") }
        #expect(Self.code(try await Self.signIn(harness, "alice@contoso.test", UserFixture.password, from: "198.51.100.10")) == 50053)
        guard case .signedIn = try await Self.signIn(harness, "alice@contoso.test", UserFixture.password, from: "203.0.113.5") else {
            Issue.record("alice at her familiar location must not be locked out")
            return
        }
    }

    /// Issue 13 item 5: IPv6 sources count by /64, as one host usually holds a whole /64.
    @Test func ipv6AddressesCountByTheir64() {
        #expect(SignInThrottle.network(of: "2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64")
        #expect(SignInThrottle.network(of: "2001:DB8:1:2:bbbb:cccc:dddd:eeee") == "2001:db8:1:2::/64")
        #expect(SignInThrottle.network(of: "2001:db8:1:3::1") != SignInThrottle.network(of: "2001:db8:1:2::1"))
        #expect(SignInThrottle.network(of: "203.0.113.5") == "203.0.113.5")
        #expect(SignInThrottle.network(of: "::ffff:203.0.113.5") == "203.0.113.5")
    }

    /// Issue 13 item 5: ~200 addresses guessing user codes used to shut device login down for
    /// the whole installation; past the global cap answers are slower, not refused.
    @Test func theGlobalUserCodeCapSlowsDownInsteadOfBlocking() async throws {
        let harness = try await SignInHarness.make()
        var policy = SignInThrottle.Policy()
        policy.globalUserCodeFailuresPerMinute = 3
        policy.globalUserCodeSlowdown = 0.2
        let throttle = SignInThrottle(store: harness.test.store, clock: harness.clock, policy: policy)
        for index in 0..<5 { try await throttle.recordUserCodeFailure(sessionID: "s\(index)", address: "192.0.2.\(index)") }
        let start = Date()
        #expect(try await throttle.userCodeEntryBlocked(sessionID: "fresh", address: "198.51.100.1") == false)
        #expect(Date().timeIntervalSince(start) >= 0.2)
        for _ in 0..<5 { try await throttle.recordUserCodeFailure(sessionID: "guesser", address: "198.51.100.2") }
        #expect(try await throttle.userCodeEntryBlocked(sessionID: "guesser", address: "198.51.100.3") == true)
    }

    /// Issue 13 item 5: `/devicecode` stores a pending code per call; a client from one network
    /// gets a bounded number of them per window.
    @Test func deviceCodeRequestsAreLimitedPerClientAndNetwork() async throws {
        let harness = try await SignInHarness.make()
        var policy = SignInThrottle.Policy()
        policy.deviceCodeRequests = 3
        let throttle = SignInThrottle(store: harness.test.store, clock: harness.clock, policy: policy)
        for _ in 0..<3 { #expect(try await throttle.deviceCodeRequestRetryAfter(clientID: "app", address: "2001:db8::1") == nil) }
        #expect(try await throttle.deviceCodeRequestRetryAfter(clientID: "app", address: "2001:db8::2") != nil)
        #expect(try await throttle.deviceCodeRequestRetryAfter(clientID: "other", address: "2001:db8::1") == nil)
        #expect(try await throttle.deviceCodeRequestRetryAfter(clientID: "app", address: "192.0.2.1") == nil)
        harness.clock.advance(by: policy.deviceCodeWindow + 1)
        #expect(try await throttle.deviceCodeRequestRetryAfter(clientID: "app", address: "2001:db8::1") == nil)
    }

    /// Issue 13 should-fix: a password typed into the user-name field (an unknown "UPN") must not
    /// land in the sign-in log or the audit trail, not even when it locks; only real users' UPNs do.
    @Test func aPasswordTypedAsTheUserNameIsNeverRecorded() async throws {
        let harness = try await SignInHarness.make()
        let typed = "Correct-Horse-\(UUID().uuidString.prefix(8))"
        for _ in 0..<11 { _ = try await Self.signIn(harness, typed, "x", from: "203.0.113.9") }
        _ = try await Self.signIn(harness, "alice@contoso.test", typed, from: "203.0.113.9")
        await harness.test.issuer.signInLog.buffer.flush()
        await harness.test.issuer.audit.buffer.flush()
        let records = try await harness.test.store.signIns(SignInQuery(tenantID: harness.tenant.id)).records
        #expect(!records.isEmpty)
        let logged = String(decoding: try JSONEncoder().encode(records), as: UTF8.self)
        #expect(!logged.contains(typed))
        #expect(logged.contains("alice@contoso.test"))
        let events = try await harness.test.store.auditEvents(tenantID: nil, since: .distantPast, limit: 10_000)
            + harness.test.store.auditEvents(tenantID: harness.tenant.id, since: .distantPast, limit: 10_000)
        #expect(!"\(events)".contains(typed))
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
