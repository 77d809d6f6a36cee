import Foundation
import OAuthProtocol

/// Browser sign-in: authorization code with PKCE (S256, RFC 7636) on a loopback listener
/// (RFC 8252 §7.3). The redirect URI is `http://localhost:<free port>` as MSAL Go uses — app
/// registrations, Entra's and kubeid's, list `http://localhost`, which does not match
/// `127.0.0.1` — or `--redirect-url`. For `localhost` the listener holds the port on both
/// 127.0.0.1 and [::1]. Only a redirect carrying this sign-in's `state` is accepted; the code
/// is redeemed with the verifier.
struct AuthorizationCodeFlow: Sendable {
    let client: EntraClient
    let clientID: String
    let scope: String
    let redirectURL: String
    let loginHint: String
    let browser: any BrowserLauncher
    let prompt: any TextSink

    func run() async throws -> AcquiredToken {
        let redirect = try RedirectTarget(redirectURL)
        let listener = try LoopbackListener(port: redirect.port, includingIPv6: redirect.host == "localhost")
        let redirectURI = redirect.uri(port: listener.port)
        let pkce = PKCE()
        let state = PKCE.randomToken()
        var query: [(String, String)] = [
            ("client_id", clientID), ("response_type", "code"), ("redirect_uri", redirectURI), ("scope", scope),
            ("state", state), ("code_challenge", pkce.challenge), ("code_challenge_method", "S256"),
            ("nonce", PKCE.randomToken()), ("client_info", "1"),
        ]
        if !loginHint.isEmpty { query.append(("login_hint", loginHint)) }
        let authorize = try await client.endpoints().authorize
        let url = authorize + (authorize.contains("?") ? "&" : "?") + FormURLEncoding.encode(query)
        if !browser.open(url) {
            prompt.write("Open the following URL in a browser to sign in:\n\(url)\n")
        }
        let parameters = try await listener.awaitRedirect(path: redirect.path, state: state) { parameters in
            parameters["code"] != nil
                ? "<html><body>Authentication complete. You can close this window and return to kubectl.</body></html>"
                : "<html><body>Authentication failed. You can close this window.</body></html>"
        }
        if let error = parameters["error"] {
            throw EntraErrorResponse(status: 400, error: error, errorDescription: parameters["error_description"] ?? "")
        }
        guard let code = parameters["code"], !code.isEmpty else { throw HTTPTransportError("the redirect carried no authorization code") }
        let result = try await client.requestToken([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("client_id", clientID),
            ("scope", scope), ("code_verifier", pkce.verifier), ("client_info", "1"),
        ])
        switch result {
        case .token(let token): return token
        case .error(let error): throw error
        }
    }
}

/// Where the loopback listener listens, from `--redirect-url` (default `http://localhost:0`).
struct RedirectTarget: Sendable {
    var host: String
    var port: Int
    var path: String
    /// The `--redirect-url` text, sent back verbatim (redirect URIs are compared as strings).
    var given: String

    init(_ url: String) throws {
        given = url
        guard !url.isEmpty else {
            host = "localhost"
            port = 0
            path = "/"
            return
        }
        guard url.hasPrefix("http://"), let components = URLComponents(string: url), let host = components.host else {
            throw KubeLoginError("--redirect-url must be an http:// loopback URL, got \(GoQuote.quote(url))")
        }
        guard host == "localhost" || host == "127.0.0.1" else {
            throw KubeLoginError("--redirect-url must point at localhost or 127.0.0.1, got \(GoQuote.quote(url))")
        }
        self.host = host
        self.port = components.port ?? 80
        self.path = components.path.isEmpty ? "/" : components.path
    }

    func uri(port actual: Int) -> String {
        given.isEmpty ? "http://\(host):\(actual)" : given
    }
}
