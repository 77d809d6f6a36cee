import Cryptography
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Authorization endpoint: redirect URIs, PKCE, codes")
struct AuthorizeRoutesTests {
    static let aksClient = WellKnownApplications.aksClientAppID
    static let aksScope = "\(WellKnownApplications.aksServerAppID)/.default openid profile offline_access"
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    static func authorizeURL(client: String = aksClient, redirect: String = "http://localhost:53117",
                             extra: [(String, String)] = [("code_challenge", challenge), ("code_challenge_method", "S256")],
                             mode: String? = nil, state: String = "st-123") -> String {
        var fields = [("client_id", client), ("response_type", "code"), ("redirect_uri", redirect), ("scope", aksScope),
                      ("state", state), ("nonce", "n-456")] + extra
        if let mode { fields.append(("response_mode", mode)) }
        return "/contoso/oauth2/v2.0/authorize?" + FormURLEncoding.encode(fields)
    }

    /// Signs in on the authorize page and returns the response that carries the reply.
    static func signIn(_ browser: inout PageBrowser, url: String, password: String = UserFixture.password) async throws -> TestResponse {
        let page = try await browser.get(url)
        #expect(page.status == .ok)
        expectPageHeaders(page)
        return try await browser.post(url, [("step", "password"), ("username", "alice@contoso.test"), ("password", password)])
    }

    /// The redirect's query, form-decoded as clients read it (RFC 6749 Appendix B: `+` is space).
    static func query(of location: String) -> [String: String] {
        let parts = location.split(separator: "?", maxSplits: 1)
        let pairs = parts.count == 2 ? FormURLEncoding.decode(parts[1]) ?? [] : []
        return Dictionary(pairs, uniquingKeysWith: { a, _ in a })
    }

    @Test func redirectURIRules() async throws {
        let harness = try await SignInHTTPHarness.make()
        _ = try await harness.test.administration.createApplication(
            tenant: "contoso", displayName: "web", appID: "22222222-2222-2222-2222-222222222222",
            redirectURIs: ["https://app.example/cb"])
        try await harness.run { client in
            // Loopback: any port, for the registered http://localhost.
            for redirect in ["http://localhost:1234", "http://localhost:65000/", "http://localhost"] {
                let response = try await client.execute(uri: Self.authorizeURL(redirect: redirect), method: .get)
                #expect(response.status == .ok, "\(redirect)")
            }
            // Never redirected: shown on a 400 page.
            for redirect in ["http://127.0.0.1:1234", "https://localhost:1234", "http://localhost.evil.example:1234",
                             "http://localhost:1234/other", "https://evil.example/cb"] {
                let response = try await client.execute(uri: Self.authorizeURL(redirect: redirect), method: .get)
                #expect(response.status == .badRequest, "\(redirect)")
                #expect(response.headers[.location] == nil)
                #expect(String(buffer: response.body).contains("AADSTS50011"))
            }
            // Registered https URIs match exactly (RFC 9700 §4.1).
            let web = "22222222-2222-2222-2222-222222222222"
            let ok = try await client.execute(uri: Self.authorizeURL(client: web, redirect: "https://app.example/cb"), method: .get)
            #expect(ok.status == .ok)
            for redirect in ["https://app.example/cb/", "https://app.example/cb?x=1", "https://APP.example/cb",
                             "https://app.example/cb/../evil", "https://app.example:8443/cb"] {
                let response = try await client.execute(uri: Self.authorizeURL(client: web, redirect: redirect), method: .get)
                #expect(response.status == .badRequest, "\(redirect)")
                #expect(response.headers[.location] == nil)
            }
            // Unknown client: a page too.
            let unknown = try await client.execute(uri: Self.authorizeURL(client: UUID().uuidString), method: .get)
            #expect(unknown.status == .badRequest && unknown.headers[.location] == nil)
        }
    }

    /// The client's `state` goes back form-encoded: a `Location` header is ASCII, and a non-ASCII
    /// letter left raw would be mangled on the way (RFC 9110 §5.5; WHATWG form encoding).
    @Test func aNonASCIIStateReturnsPercentEncodedInTheLocation() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            let reply = try await client.execute(uri: Self.authorizeURL(extra: [], state: "é ü&="), method: .get)
            #expect(reply.status == .seeOther)
            let location = try #require(reply.headers[.location])
            #expect(location.contains("state=%C3%A9+%C3%BC%26%3D"), "\(location)")
            #expect(location.utf8.allSatisfy { $0 < 0x80 }, "\(location)")
            let query = try #require(FormURLEncoding.decode(location.split(separator: "?", maxSplits: 1)[1]))
            #expect(query.first { $0.0 == "state" }?.1 == "é ü&=")
        }
    }

    @Test func pkceIsRequiredForPublicClientsAndPlainRefused() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            let missing = try await client.execute(uri: Self.authorizeURL(extra: []), method: .get)
            #expect(missing.status == .seeOther)
            let query = Self.query(of: missing.headers[.location] ?? "")
            #expect(query["error"] == "invalid_request")
            #expect(query["state"] == "st-123")
            #expect(query["iss"] == "\(TestIssuer.issuerURL)/\(harness.tenantID)/v2.0")
            let plain = try await client.execute(uri: Self.authorizeURL(extra: [("code_challenge", Self.verifier),
                                                                                ("code_challenge_method", "plain")]), method: .get)
            #expect(Self.query(of: plain.headers[.location] ?? "")["error"] == "invalid_request")
            let implicit = try await client.execute(
                uri: Self.authorizeURL().replacingOccurrences(of: "response_type=code", with: "response_type=token"), method: .get)
            #expect(Self.query(of: implicit.headers[.location] ?? "")["error"] == "unsupported_response_type")
        }
    }

    @Test func pkceIsRequiredForConfidentialClientsToo() async throws {
        // RFC 9700 §2.1.1: a client secret does not protect against code injection; PKCE does.
        let harness = try await SignInHTTPHarness.make()
        let web = "22222222-2222-2222-2222-222222222222"
        _ = try await harness.test.administration.createApplication(tenant: "contoso", displayName: "web", appID: web,
                                                                    redirectURIs: ["https://app.example/cb"])
        try await harness.run { client in
            // No challenge: back to the (registered) redirect URI with the error, state and iss.
            for extra in [[], [("code_challenge_method", "S256")]] {
                let missing = try await client.execute(uri: Self.authorizeURL(client: web, redirect: "https://app.example/cb",
                                                                              extra: extra), method: .get)
                #expect(missing.status == .seeOther)
                let location = missing.headers[.location] ?? ""
                #expect(location.hasPrefix("https://app.example/cb?"))
                let query = Self.query(of: location)
                #expect(query["error"] == "invalid_request")
                #expect(query["error_description"]?.hasPrefix("AADSTS9002325: Proof Key for Code Exchange is required") == true)
                #expect(query["state"] == "st-123")
                #expect(query["iss"] == "\(TestIssuer.issuerURL)/\(harness.tenantID)/v2.0")
                #expect(query["code"] == nil)
            }
            // plain, a missing method (RFC 7636 makes that plain) and a malformed challenge are refused too.
            for (extra, code) in [([("code_challenge", Self.verifier), ("code_challenge_method", "plain")], "AADSTS50148"),
                                  ([("code_challenge", Self.challenge)], "AADSTS50148"),
                                  ([("code_challenge", "short"), ("code_challenge_method", "S256")], "AADSTS501491")] {
                let refused = try await client.execute(uri: Self.authorizeURL(client: web, redirect: "https://app.example/cb",
                                                                              extra: extra), method: .get)
                let query = Self.query(of: refused.headers[.location] ?? "")
                #expect(query["error"] == "invalid_request", "\(extra)")
                #expect(query["error_description"]?.hasPrefix(code) == true, "\(extra)")
            }
            // With S256 the sign-in page is shown.
            let page = try await client.execute(uri: Self.authorizeURL(client: web, redirect: "https://app.example/cb"), method: .get)
            #expect(page.status == .ok)
        }
        // The opt-out, per application, for confidential clients only.
        let admin = harness.test.administration
        _ = try await admin.updateApplication(tenant: "contoso", id: web, changes: ApplicationChanges(allowsCodeWithoutPKCE: true))
        await #expect(throws: AdministrationError.self) {
            try await admin.updateApplication(tenant: "contoso", id: Self.aksClient, changes: ApplicationChanges(allowsCodeWithoutPKCE: true))
        }
        try await harness.run { client in
            let allowed = try await client.execute(uri: Self.authorizeURL(client: web, redirect: "https://app.example/cb", extra: []),
                                                   method: .get)
            #expect(allowed.status == .ok)
            let methodOnly = try await client.execute(uri: Self.authorizeURL(client: web, redirect: "https://app.example/cb",
                                                                             extra: [("code_challenge_method", "S256")]), method: .get)
            #expect(Self.query(of: methodOnly.headers[.location] ?? "")["error_description"]?.hasPrefix("AADSTS50148") == true)
            // plain stays refused, and a public client still needs PKCE.
            let plain = try await client.execute(uri: Self.authorizeURL(client: web, redirect: "https://app.example/cb",
                                                                        extra: [("code_challenge", Self.verifier), ("code_challenge_method", "plain")]),
                                                 method: .get)
            #expect(Self.query(of: plain.headers[.location] ?? "")["error_description"]?.hasPrefix("AADSTS50148") == true)
            let publicClient = try await client.execute(uri: Self.authorizeURL(extra: []), method: .get)
            #expect(Self.query(of: publicClient.headers[.location] ?? "")["error_description"]?.hasPrefix("AADSTS9002325") == true)
        }
    }

    @Test func codeFlowWithQueryResponse() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            var browser = PageBrowser(client)
            let url = Self.authorizeURL()
            // Wrong password: 303 back to the page with a generic message.
            let wrong = try await Self.signIn(&browser, url: url, password: "nope")
            #expect(wrong.status == .seeOther)
            #expect(try await browser.follow(wrong).html.contains("Your account or password is incorrect"))
            let reply = try await browser.post(url, [("step", "password"), ("username", "alice@contoso.test"),
                                                     ("password", UserFixture.password)])
            #expect(reply.status == .seeOther)  // never 307 (RFC 9700 §4.12)
            let location = try #require(reply.headers[.location])
            #expect(location.hasPrefix("http://localhost:53117?"))
            let query = Self.query(of: location)
            #expect(query["state"] == "st-123")
            #expect(query["iss"] == "\(TestIssuer.issuerURL)/\(harness.tenantID)/v2.0")
            let code = try #require(query["code"])

            func redeem(_ fields: [(String, String)]) async throws -> TestResponse {
                try await client.postForm("/contoso/oauth2/v2.0/token", [
                    ("grant_type", "authorization_code"), ("client_id", Self.aksClient), ("code", code),
                    ("scope", Self.aksScope)] + fields)
            }
            let wrongVerifier = try await redeem([("redirect_uri", "http://localhost:53117"),
                                                  ("code_verifier", String(Self.verifier.reversed()))])
            expectEntraError(wrongVerifier, status: .badRequest, error: "invalid_grant", code: 501481)
            let noVerifier = try await redeem([("redirect_uri", "http://localhost:53117")])
            expectEntraError(noVerifier, status: .badRequest, error: "invalid_grant", code: 50147)
            let otherRedirect = try await redeem([("redirect_uri", "http://localhost:9999"), ("code_verifier", Self.verifier)])
            expectEntraError(otherRedirect, status: .badRequest, error: "invalid_grant", code: 50011)

            let tokens = try await redeem([("redirect_uri", "http://localhost:53117"), ("code_verifier", Self.verifier)])
            #expect(tokens.status == .ok)
            let json = tokens.jsonObject
            let idToken = try #require(json["id_token"] as? String)
            let payload = try #require(Base64URL.decode(idToken.split(separator: ".")[1]))
            let idClaims = try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
            #expect(idClaims["nonce"] as? String == "n-456")
            #expect(idClaims["aud"] as? String == Self.aksClient)
            let refreshToken = try #require(json["refresh_token"] as? String)

            // Single use: the second redemption fails and revokes what the first one issued.
            let replay = try await redeem([("redirect_uri", "http://localhost:53117"), ("code_verifier", Self.verifier)])
            expectEntraError(replay, status: .badRequest, error: "invalid_grant", code: 54005)
            let refresh = try await client.postForm("/contoso/oauth2/v2.0/token", [
                ("grant_type", "refresh_token"), ("client_id", Self.aksClient), ("refresh_token", refreshToken)])
            expectEntraError(refresh, status: .badRequest, error: "invalid_grant", code: 50173)
        }
    }

    /// Issue 13 should-fix (RFC 9700 §4.8, RFC 6749 §4.1.3): a code authorised without a
    /// challenge cannot be redeemed with a verifier (PKCE downgrade), and a code cannot be
    /// redeemed by a client other than the one it was issued to.
    @Test func pkceDowngradeAndAnotherClientsCodeAreRefused() async throws {
        let harness = try await SignInHTTPHarness.make()
        let web = "22222222-2222-2222-2222-222222222222"
        let other = "33333333-3333-3333-3333-333333333333"
        let admin = harness.test.administration
        _ = try await admin.createApplication(tenant: "contoso", displayName: "web", appID: web,
                                              redirectURIs: ["https://app.example/cb"])
        let secret = try #require(try await admin.resetCredential(tenant: "contoso", appID: web, credential: .secret).password)
        _ = try await admin.createApplication(tenant: "contoso", displayName: "other native", appID: other,
                                              isPublicClient: true, redirectURIs: ["http://localhost"])
        // Only a confidential client an administrator allowed to go without PKCE gets a code
        // without a challenge; redeeming that code with a verifier is a downgrade.
        _ = try await admin.updateApplication(tenant: "contoso", id: web, changes: ApplicationChanges(allowsCodeWithoutPKCE: true))
        try await harness.run { client in
            var browser = PageBrowser(client)
            let reply = try await Self.signIn(&browser, url: Self.authorizeURL(client: web, redirect: "https://app.example/cb", extra: []))
            let webCode = try #require(Self.query(of: reply.headers[.location] ?? "")["code"])
            let downgraded = try await client.postForm("/contoso/oauth2/v2.0/token", [
                ("grant_type", "authorization_code"), ("client_id", web), ("client_secret", secret), ("code", webCode),
                ("redirect_uri", "https://app.example/cb"), ("scope", Self.aksScope), ("code_verifier", Self.verifier)])
            expectEntraError(downgraded, status: .badRequest, error: "invalid_grant", code: 50148)

            // The AKS client's code (single sign-on now) redeemed by another public client.
            let again = try await browser.get(Self.authorizeURL())
            let aksCode = try #require(Self.query(of: again.headers[.location] ?? "")["code"])
            let stolen = try await client.postForm("/contoso/oauth2/v2.0/token", [
                ("grant_type", "authorization_code"), ("client_id", other), ("code", aksCode),
                ("redirect_uri", "http://localhost:53117"), ("scope", Self.aksScope), ("code_verifier", Self.verifier)])
            expectEntraError(stolen, status: .badRequest, error: "invalid_grant", code: 70000)
            // The rightful client still redeems it.
            let tokens = try await client.postForm("/contoso/oauth2/v2.0/token", [
                ("grant_type", "authorization_code"), ("client_id", Self.aksClient), ("code", aksCode),
                ("redirect_uri", "http://localhost:53117"), ("scope", Self.aksScope), ("code_verifier", Self.verifier)])
            #expect(tokens.status == .ok)
        }
    }

    @Test func formPostAutoSubmitsWithANonce() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            var browser = PageBrowser(client)
            let reply = try await Self.signIn(&browser, url: Self.authorizeURL(mode: "form_post"))
            #expect(reply.status == .ok)
            let csp = reply.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
            #expect(csp.contains("form-action 'self' http://localhost:53117"))
            #expect(csp.contains("script-src 'nonce-"))
            let html = reply.html
            #expect(html.contains("<form method=\"post\" action=\"http://localhost:53117\""))
            #expect(html.contains("name=\"code\"") && html.contains("name=\"state\" value=\"st-123\""))
            #expect(html.contains("<noscript>"))
            // Single sign-on: the next authorize needs no sign-in.
            let again = try await browser.get(Self.authorizeURL(mode: "form_post"))
            #expect(again.status == .ok && again.html.contains("name=\"code\""))
            // prompt=login asks again.
            let forced = try await browser.get(Self.authorizeURL(extra: [("code_challenge", Self.challenge),
                                                                         ("code_challenge_method", "S256"), ("prompt", "login")]))
            #expect(forced.html.contains("autocomplete=\"current-password\""))
        }
    }

    @Test func cancelAndPromptNoneReturnErrorsToTheClient() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            var browser = PageBrowser(client)
            let url = Self.authorizeURL()
            _ = try await browser.get(url)
            let cancelled = try await browser.post(url, [("step", "cancel")])
            #expect(Self.query(of: cancelled.headers[.location] ?? "")["error"] == "access_denied")
            let silent = try await client.execute(uri: Self.authorizeURL(extra: [("code_challenge", Self.challenge),
                                                                                 ("code_challenge_method", "S256"),
                                                                                 ("prompt", "none")]), method: .get)
            #expect(Self.query(of: silent.headers[.location] ?? "")["error"] == "login_required")
            // CSRF: a post without the token is refused and never redirected.
            let forged = try await browser.post(url, [("step", "password"), ("username", "alice@contoso.test"),
                                                      ("password", UserFixture.password)], withCSRF: false)
            #expect(forged.status == .forbidden && forged.headers[.location] == nil)
        }
    }

    @Test func discoveryAdvertisesIssInAuthorizationResponses() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            let document = try await client.execute(uri: "/contoso/v2.0/.well-known/openid-configuration", method: .get)
            #expect(document.jsonObject["authorization_response_iss_parameter_supported"] as? Bool == true)
        }
    }
}
