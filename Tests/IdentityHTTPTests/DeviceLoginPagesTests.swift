import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Device code endpoint and /devicelogin pages")
struct DeviceLoginPagesTests {
    static let aksClient = WellKnownApplications.aksClientAppID
    static let aksScope = "\(WellKnownApplications.aksServerAppID)/.default"

    @Test func deviceCodeEndpointShapesV2AndV1() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            let v2 = try await client.postForm("/contoso/oauth2/v2.0/devicecode",
                                               [("client_id", Self.aksClient), ("scope", "\(Self.aksScope) offline_access openid profile")])
            #expect(v2.status == .ok)
            #expect(v2.headers[.cacheControl] == "no-store, no-cache")
            let json = v2.jsonObject
            #expect(json["expires_in"] as? Int == 900)
            #expect(json["interval"] as? Int == 5)
            #expect(json["verification_uri"] as? String == "\(TestIssuer.issuerURL)/devicelogin")
            let userCode = try #require(json["user_code"] as? String)
            #expect(json["message"] as? String == "To sign in, use a web browser to open the page \(TestIssuer.issuerURL)/devicelogin and enter the code \(userCode) to authenticate.")

            let v1 = try await client.postForm("/contoso/oauth2/devicecode?api-version=1.0",
                                               [("client_id", Self.aksClient), ("resource", WellKnownApplications.aksServerAppID)])
            #expect(v1.jsonObject["expires_in"] as? String == "900")
            #expect(v1.jsonObject["interval"] as? String == "5")
            #expect(v1.jsonObject["verification_url"] as? String == "\(TestIssuer.issuerURL)/devicelogin")

            let unknown = try await client.postForm("/contoso/oauth2/v2.0/devicecode",
                                                    [("client_id", UUID().uuidString), ("scope", Self.aksScope)])
            expectEntraError(unknown, status: .badRequest, error: "unauthorized_client", code: 700016)

            let deviceCode = try #require(json["device_code"] as? String)
            let pending = try await client.postForm("/contoso/oauth2/v2.0/token", [
                ("grant_type", GrantType.deviceCode), ("device_code", deviceCode), ("client_id", Self.aksClient)])
            expectEntraError(pending, status: .badRequest, error: "authorization_pending", code: 70016)
        }
    }

    @Test func pagesCarrySecurityHeadersAndASecureCookie() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            var browser = PageBrowser(client)
            let page = try await browser.get("/devicelogin")
            #expect(page.status == .ok)
            expectPageHeaders(page)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let cookie = try #require(page.headers[values: .setCookie].first)
            #expect(cookie.hasPrefix("__Host-kubeid-session="))
            for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"] { #expect(cookie.contains(attribute)) }
            #expect(!cookie.contains("Domain"))
            #expect(page.html.contains("autocomplete=\"off\"") && page.html.contains("<label for=\"otc\">"))
            #expect(!page.html.contains("<script"))
            let css = try await client.execute(uri: "/static/kubeid.css", method: .get)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.headers[.cacheControl]?.contains("max-age") == true)
        }
    }

    @Test func postsWithoutTheCSRFTokenAreForbidden() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            var browser = PageBrowser(client)
            _ = try await browser.get("/devicelogin")
            let noToken = try await browser.post("/devicelogin", [("step", "code"), ("otc", "BCDF-GHJK")], withCSRF: false)
            #expect(noToken.status == .forbidden)
            expectPageHeaders(noToken)
            let wrongToken = try await browser.post("/devicelogin", [("step", "code"), ("otc", "BCDF-GHJK"), ("csrf", "forged")],
                                                    withCSRF: false)
            #expect(wrongToken.status == .forbidden)
            // Without the cookie, a correct-looking token does not help either.
            var stranger = PageBrowser(client)
            stranger.lastPage = browser.lastPage
            #expect(try await stranger.post("/devicelogin", [("step", "code"), ("otc", "BCDF-GHJK")]).status == .forbidden)
            // A cross-site post is refused even with the token.
            let crossSite = try await browser.post("/devicelogin", [("step", "code"), ("otc", "BCDF-GHJK")],
                                                   extraHeaders: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden)
            // With both: 303 back to the page, a generic message.
            let ok = try await browser.post("/devicelogin", [("step", "code"), ("otc", "BCDF-GHJK")])
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/devicelogin")
            let again = try await browser.follow(ok)
            #expect(again.html.contains("That code didn&#39;t work"))
        }
    }

    @Test func fullDeviceSignInThroughThePages() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            let started = try await client.postForm("/contoso/oauth2/v2.0/devicecode",
                                                    [("client_id", Self.aksClient), ("scope", "\(Self.aksScope) offline_access openid profile")])
            let userCode = try #require(started.jsonObject["user_code"] as? String)
            let deviceCode = try #require(started.jsonObject["device_code"] as? String)
            var browser = PageBrowser(client)
            _ = try await browser.get("/devicelogin")
            var page = try await browser.follow(try await browser.post("/devicelogin", [("step", "code"),
                                                                                         ("otc", userCode.lowercased().replacingOccurrences(of: "-", with: " "))]))
            #expect(page.html.contains("autocomplete=\"current-password\""))
            #expect(page.html.contains("Azure Kubernetes Service AAD Client"))
            // Wrong password: generic message, still the sign-in page.
            page = try await browser.follow(try await browser.post("/devicelogin", [("step", "password"),
                                                                                     ("username", "alice@contoso.test"), ("password", "nope")]))
            #expect(page.html.contains("Your account or password is incorrect"))
            page = try await browser.follow(try await browser.post("/devicelogin", [("step", "password"),
                                                                                     ("username", "alice@contoso.test"),
                                                                                     ("password", UserFixture.password)]))
            for text in ["Are you trying to sign in to Azure Kubernetes Service AAD Client?", "Azure Kubernetes Service AAD Server",
                         "user.read", "contoso", harness.tenantID, "From IP address", "Continue", "Cancel"] {
                #expect(page.html.contains(HTMLEscaped(text)), "\(text)")
            }
            page = try await browser.follow(try await browser.post("/devicelogin", [("step", "confirm"), ("action", "continue")]))
            #expect(page.html.contains("You have signed in to the <strong>Azure Kubernetes Service AAD Client</strong> application on your device. You may now close this window."))

            let token = try await client.postForm("/contoso/oauth2/v2.0/token", [
                ("grant_type", "device_code"), ("device_code", deviceCode), ("client_id", Self.aksClient)])
            #expect(token.status == .ok)
            let json = token.jsonObject
            for key in ["access_token", "refresh_token", "id_token", "client_info", "scope"] { #expect(json[key] != nil, "\(key)") }
        }
    }

    @Test func mfaUserIsAskedForTheCode() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            let started = try await client.postForm("/contoso/oauth2/v2.0/devicecode",
                                                    [("client_id", Self.aksClient), ("scope", Self.aksScope)])
            var browser = PageBrowser(client)
            _ = try await browser.get("/devicelogin")
            _ = try await browser.follow(try await browser.post("/devicelogin", [("step", "code"),
                                                                                  ("otc", started.jsonObject["user_code"] as? String ?? "")]))
            var page = try await browser.follow(try await browser.post("/devicelogin", [
                ("step", "password"), ("username", "bob@contoso.test"), ("password", UserFixture.password)]))
            #expect(page.html.contains("autocomplete=\"one-time-code\""))
            page = try await browser.follow(try await browser.post("/devicelogin", [("step", "otp"), ("otp", "123456")]))
            #expect(page.html.contains("That code didn&#39;t work"))
        }
    }

    @Test func wrongCodesAreLimitedPerSessionAndAddress() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            var browser = PageBrowser(client)
            _ = try await browser.get("/devicelogin")
            for _ in 0..<5 {
                let page = try await browser.follow(try await browser.post("/devicelogin", [("step", "code"), ("otc", "BCDF-GHJK")]))
                #expect(page.html.contains("That code didn&#39;t work"))
            }
            let started = try await client.postForm("/contoso/oauth2/v2.0/devicecode",
                                                    [("client_id", Self.aksClient), ("scope", Self.aksScope)])
            let page = try await browser.follow(try await browser.post("/devicelogin", [
                ("step", "code"), ("otc", started.jsonObject["user_code"] as? String ?? "")]))
            #expect(page.html.contains("Too many attempts"))
            // A fresh cookie from the same address is blocked too.
            var fresh = PageBrowser(client)
            _ = try await fresh.get("/devicelogin")
            let blocked = try await fresh.follow(try await fresh.post("/devicelogin", [
                ("step", "code"), ("otc", started.jsonObject["user_code"] as? String ?? "")]))
            #expect(blocked.html.contains("Too many attempts"))
        }
    }

    @Test func cancelDeclinesTheFlow() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            let started = try await client.postForm("/contoso/oauth2/v2.0/devicecode",
                                                    [("client_id", Self.aksClient), ("scope", Self.aksScope)])
            var browser = PageBrowser(client)
            _ = try await browser.get("/devicelogin")
            _ = try await browser.follow(try await browser.post("/devicelogin", [("step", "code"),
                                                                                  ("otc", started.jsonObject["user_code"] as? String ?? "")]))
            _ = try await browser.follow(try await browser.post("/devicelogin", [
                ("step", "password"), ("username", "alice@contoso.test"), ("password", UserFixture.password)]))
            let done = try await browser.follow(try await browser.post("/devicelogin", [("step", "confirm"), ("action", "cancel")]))
            #expect(done.html.contains("Sign-in cancelled"))
            let poll = try await client.postForm("/contoso/oauth2/v2.0/token", [
                ("grant_type", GrantType.deviceCode), ("device_code", started.jsonObject["device_code"] as? String ?? ""),
                ("client_id", Self.aksClient)])
            #expect(poll.status == .badRequest)
            #expect(poll.jsonObject["error"] as? String == "authorization_declined")
        }
    }

    @Test func htmlEscapesUntrustedValues() async throws {
        let harness = try await SignInHTTPHarness.make()
        _ = try await harness.test.administration.createApplication(
            tenant: "contoso", displayName: "<script>alert(1)</script>", appID: "11111111-2222-3333-4444-555555555555",
            isPublicClient: true)
        try await harness.run { client in
            let started = try await client.postForm("/contoso/oauth2/v2.0/devicecode",
                                                    [("client_id", "11111111-2222-3333-4444-555555555555"), ("scope", Self.aksScope)])
            var browser = PageBrowser(client)
            _ = try await browser.get("/devicelogin")
            let page = try await browser.follow(try await browser.post("/devicelogin", [
                ("step", "code"), ("otc", started.jsonObject["user_code"] as? String ?? "")]))
            #expect(!page.html.contains("<script>alert(1)</script>"))
            #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }
}

/// How a value appears in the pages' HTML.
func HTMLEscaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        .replacingOccurrences(of: "'", with: "&#39;")
}
