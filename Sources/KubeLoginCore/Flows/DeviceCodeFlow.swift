import Foundation

/// The device authorization grant (RFC 8628) as MSAL Go / kubelogin speak it to Entra
/// (docs/compatibility.md, Device code): ask for a code, show Entra's message verbatim on stderr,
/// then poll the token endpoint every `interval` seconds while the answer is
/// `authorization_pending` (`slow_down` adds 5 s). The run's `--timeout` cancels the wait.
struct DeviceCodeFlow: Sendable {
    let client: EntraClient
    let clientID: String
    let scope: String
    let prompt: any TextSink
    let sleep: @Sendable (Duration) async throws -> Void

    func run() async throws -> AcquiredToken {
        let endpoint = try await client.endpoints().deviceCode
        client.log.verbose(5, "POST \(endpoint) (device code request)")
        let response = try await client.transport.send(.form(endpoint, [("client_id", clientID), ("scope", scope)]))
        guard response.status == 200 else {
            if let error = EntraErrorResponse(response: response) { throw error }
            throw HTTPTransportError("device code request answered HTTP \(response.status)")
        }
        guard let object = JSONObject(bytes: response.body), let deviceCode = object.string("device_code") else {
            throw HTTPTransportError("device code response has no device_code")
        }
        let userCode = object.string("user_code") ?? ""
        let verificationURI = object.string("verification_uri") ?? object.string("verification_url") ?? ""
        let message = object.string("message")
            ?? "To sign in, use a web browser to open the page \(verificationURI) and enter the code \(userCode) to authenticate."
        prompt.write(message + "\n")

        var interval = max(1, object.integer("interval") ?? 5)
        let expiresIn = object.integer("expires_in") ?? 900
        let giveUpAt = client.now().addingTimeInterval(TimeInterval(expiresIn))
        let fields: [(String, String)] = [
            ("grant_type", "device_code"), ("device_code", deviceCode), ("client_id", clientID),
            ("client_info", "1"), ("scope", scope),
        ]
        while true {
            try await sleep(.seconds(interval))
            switch try await client.requestToken(fields) {
            case .token(let token):
                return token
            case .error(let error) where error.error == "authorization_pending":
                break
            case .error(let error) where error.error == "slow_down":
                interval += 5
            case .error(let error):
                throw error
            }
            if client.now() >= giveUpAt { throw HTTPTransportError("the device code expired before sign-in completed") }
        }
    }
}
