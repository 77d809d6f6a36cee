import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Refresh tokens: rotation, reuse, inactivity, re-evaluation")
struct RefreshTokenTests {
    @Test func refreshRotatesAndKeepsTheUser() async throws {
        let harness = try await SignInHarness.make()
        let first = try await harness.signInWithDeviceCode()
        let token = try #require(first.refreshToken)
        #expect(token.count >= 43)  // 256 bits
        let second = try await harness.refresh(token)
        let rotated = try #require(second.refreshToken)
        #expect(rotated != token)
        #expect(second.idToken != nil && second.clientInfo != nil)
        let claims = try await harness.verify(second.accessToken)
        #expect(claims.string("upn") == "alice@contoso.test")
        #expect(claims.strings("amr") == ["pwd"])
        // The store never holds a token value.
        let stored = try await harness.test.store.refreshTokens(tenantID: harness.tenant.id,
                                                                userObjectID: harness.users.alice.objectID)
        #expect(stored.count == 2)
        for record in stored {
            #expect(record.tokenHash.count == 32)
            #expect(!record.id.contains(token) && !record.id.contains(rotated))
        }
    }

    @Test func secondUseWithinFiveSecondsReturnsTheSameSuccessor() async throws {
        let harness = try await SignInHarness.make()
        let token = try #require(try await harness.signInWithDeviceCode().refreshToken)
        let a = try await harness.refresh(token)
        harness.clock.advance(by: 4)
        let b = try await harness.refresh(token)
        #expect(a.refreshToken == b.refreshToken)
        // And the successor works.
        _ = try await harness.refresh(try #require(b.refreshToken))
    }

    @Test func concurrentRefreshesAgree() async throws {
        let harness = try await SignInHarness.make()
        let token = try #require(try await harness.signInWithDeviceCode().refreshToken)
        let successors = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { try await harness.refresh(token).refreshToken } }
            var all: [String?] = []
            for try await successor in group { all.append(successor) }
            return all
        }
        #expect(Set(successors).count == 1)
    }

    @Test func reuseAfterTheGraceWindowRevokesTheFamily() async throws {
        let harness = try await SignInHarness.make()
        let token = try #require(try await harness.signInWithDeviceCode().refreshToken)
        let successor = try #require(try await harness.refresh(token).refreshToken)
        harness.clock.advance(by: 6)
        let reuse = await harness.refreshError(token)
        #expect(reuse?.error == "invalid_grant")
        #expect(reuse?.code == 50173)
        #expect(await harness.refreshError(successor)?.code == 50173)
        let events = try await harness.test.store.auditEvents(tenantID: harness.tenant.id, since: .distantPast, limit: 100)
        #expect(events.contains { $0.kind == "refresh.reuse" })
    }

    @Test func severalDevicesKeepTheirOwnFamilies() async throws {
        let harness = try await SignInHarness.make()
        let laptop = try #require(try await harness.signInWithDeviceCode().refreshToken)
        let desktop = try #require(try await harness.signInWithDeviceCode().refreshToken)
        let laptopNext = try #require(try await harness.refresh(laptop).refreshToken)
        let desktopNext = try #require(try await harness.refresh(desktop).refreshToken)
        harness.clock.advance(by: 60)
        // Reusing the laptop's spent token revokes only the laptop's family.
        #expect(await harness.refreshError(laptop)?.code == 50173)
        #expect(await harness.refreshError(laptopNext)?.code == 50173)
        _ = try await harness.refresh(desktopNext)
    }

    @Test func inactiveFor90DaysExpires() async throws {
        let harness = try await SignInHarness.make()
        let token = try #require(try await harness.signInWithDeviceCode().refreshToken)
        harness.clock.advance(by: 89 * 86_400)
        let next = try #require(try await harness.refresh(token).refreshToken)
        harness.clock.advance(by: 90 * 86_400 + 1)
        let error = await harness.refreshError(next)
        #expect(error?.code == 700082)
        #expect(error?.message.contains("inactive for 90 days") == true)
    }

    @Test func disabledUserCannotRefresh() async throws {
        let harness = try await SignInHarness.make()
        let token = try #require(try await harness.signInWithDeviceCode().refreshToken)
        _ = try await harness.test.administration.setUserEnabled(tenant: "contoso", id: "alice@contoso.test", enabled: false)
        let error = await harness.refreshError(token)
        #expect(error?.error == "invalid_grant")
        _ = try await harness.test.administration.setUserEnabled(tenant: "contoso", id: "alice@contoso.test", enabled: true)
        // Disabling revoked the tokens: enabling again does not bring them back.
        #expect(await harness.refreshError(token)?.code == 50173)
    }

    @Test func refreshReResolvesGroups() async throws {
        let harness = try await SignInHarness.make()
        let token = try #require(try await harness.signInWithDeviceCode().refreshToken)
        let newGroup = try await harness.test.administration.createGroup(tenant: "contoso", displayName: "oncall", mailNickname: nil)
        try await harness.test.administration.addGroupMember(tenant: "contoso", groupID: newGroup.objectID,
                                                             memberID: harness.users.alice.objectID)
        try await harness.test.administration.removeGroupMember(tenant: "contoso", groupID: harness.users.directory.inner.objectID,
                                                                memberID: harness.users.alice.objectID)
        let claims = try await harness.verify(try await harness.refresh(token).accessToken)
        #expect(claims.strings("groups") == [newGroup.objectID])
    }

    @Test func refreshCannotWidenToAnotherResource() async throws {
        let harness = try await SignInHarness.make()
        let token = try #require(try await harness.signInWithDeviceCode().refreshToken)
        let other = try await harness.test.administration.createApplication(tenant: "contoso", displayName: "other api",
                                                                              identifierURIs: ["api://other"], exposedScopes: ["read"])
        _ = other
        let error = await harness.refreshError(token, scope: "api://other/.default")
        #expect(error?.error == "invalid_scope")
        // No scope at all means "what I signed in for".
        _ = try await harness.refresh(token, scope: nil)
    }

    /// Issue 13 should-fix: an RT for `api://x/read` must not mint `api://x/write` (RFC 6749 §6).
    @Test func refreshCannotWidenScopesWithinTheResource() async throws {
        let harness = try await SignInHarness.make()
        let (api, _) = try await harness.test.administration.createApplication(
            tenant: "contoso", displayName: "x api", identifierURIs: ["api://x"], exposedScopes: ["read", "write"])
        let started = try await harness.test.issuer.deviceAuthorization.handle(
            tenantSegment: "contoso", version: .v2,
            parameters: ["client_id": AKS.clientAppID, "scope": "api://x/read offline_access openid"],
            address: "198.51.100.7", correlationID: nil)
        try await harness.approve(started)
        let first = try await harness.poll(started.deviceCode)
        let token = try #require(first.refreshToken)
        func scopes(_ response: TokenResponse) async throws -> String? {
            try await harness.test.verify(response.accessToken, audience: api.appID, tenantID: harness.tenant.id, version: 2)
                .string("scp")
        }
        #expect(try await scopes(first) == "read")
        let widened = await harness.refreshError(token, scope: "api://x/write offline_access")
        #expect(widened?.error == "invalid_scope")
        let both = await harness.refreshError(token, scope: "api://x/read api://x/write")
        #expect(both?.error == "invalid_scope")
        // `.default` is what was granted, not everything the API exposes.
        let defaulted = try await harness.refresh(token, scope: "api://x/.default offline_access")
        #expect(try await scopes(defaulted) == "read")
        let same = try await harness.refresh(try #require(defaulted.refreshToken), scope: "api://x/READ offline_access")
        #expect(try await scopes(same)?.lowercased() == "read")
    }

    @Test func tokenIsBoundToItsClient() async throws {
        let harness = try await SignInHarness.make()
        let token = try #require(try await harness.signInWithDeviceCode().refreshToken)
        let (other, _) = try await harness.test.administration.createApplication(tenant: "contoso", displayName: "other cli",
                                                                                   isPublicClient: true)
        await #expect(throws: OAuthError.grantClientMismatch) {
            _ = try await harness.refresh(token, client: other.appID)
        }
        await #expect(throws: OAuthError.refreshTokenInvalid) {
            _ = try await harness.refresh("not-a-token")
        }
    }
}
