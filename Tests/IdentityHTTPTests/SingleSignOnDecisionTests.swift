import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

/// Single sign-on goes through the same access decision as a password sign-in: a browser
/// session is only as good as the account behind it.
@Suite("Single sign-on and the access decision")
struct SingleSignOnDecisionTests {
    private static func code(in response: TestResponse) -> String? {
        AuthorizeRoutesTests.query(of: response.headers[.location] ?? "")["code"]
    }

    /// Signs alice in on the authorize page, checks single sign-on works, applies `change`, and
    /// returns the next `/authorize` with the same browser.
    private static func nextAuthorize(after change: @escaping @Sendable (DirectoryAdministration) async throws -> Void,
                                      check: @escaping @Sendable (TestResponse, SignInHTTPHarness) async throws -> Void) async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            var browser = PageBrowser(client)
            let url = AuthorizeRoutesTests.authorizeURL()
            let first = try await AuthorizeRoutesTests.signIn(&browser, url: url)
            #expect(Self.code(in: first) != nil)
            let again = try await browser.get(url)
            try #require(Self.code(in: again) != nil, "single sign-on works before the change")
            // The change comes later than the sign-in (sessions count whole seconds).
            harness.test.clock.advance(by: 2)
            try await change(harness.test.administration)
            try await check(try await browser.get(url), harness)
        }
    }

    @Test func aUserDisabledWithALiveBrowserSessionIsRefusedAndLogged() async throws {
        try await Self.nextAuthorize(after: { admin in
            _ = try await admin.setUserEnabled(tenant: "contoso", id: "alice@contoso.test", enabled: false)
        }, check: { (response: TestResponse, harness: SignInHTTPHarness) async throws in
            #expect(response.status == .ok && Self.code(in: response) == nil)
            #expect(response.html.contains("Your account has been disabled"))
            await harness.test.issuer.signInLog.buffer.flush()
            let refused = try await harness.test.store.signIns(SignInQuery(errorCode: 50057)).records
            try #require(refused.count == 1)
            #expect(refused[0].userId == harness.users.alice.objectID && refused[0].isInteractive)
            #expect(refused[0].clientAppUsed == "Browser" && refused[0].appId == AuthorizeRoutesTests.aksClient)
        })
    }

    @Test func aPasswordResetEndsTheBrowserSession() async throws {
        try await Self.nextAuthorize(after: { admin in
            _ = try await admin.setPassword(tenant: "contoso", id: "alice@contoso.test", password: "a brand new password 2")
        }, check: { (response: TestResponse, harness: SignInHTTPHarness) async throws in
            // The stolen-cookie case: no code, the password form instead.
            #expect(Self.code(in: response) == nil)
            #expect(response.html.contains("autocomplete=\"current-password\""))
            await harness.test.issuer.signInLog.buffer.flush()
            #expect(try await harness.test.store.signIns(SignInQuery(errorCode: 50173)).records.count == 1)
        })
    }

    @Test func revokingSessionsEndsTheBrowserSession() async throws {
        try await Self.nextAuthorize(after: { admin in
            _ = try await admin.revokeSignInSessions(tenant: "contoso", id: "alice@contoso.test")
        }, check: { (response: TestResponse, _: SignInHTTPHarness) async throws in
            #expect(Self.code(in: response) == nil)
            #expect(response.html.contains("autocomplete=\"current-password\""))
        })
    }
}
