import Foundation

/// `--login azurecli`: delegates to `az account get-access-token`, as azidentity's
/// AzureCLICredential does. Not cached (upstream removed that cache for security, #137).
struct AzureCLIProvider: TokenProvider {
    let serverID: String
    let tenantID: String
    let subscription: String
    let environment: ProcessEnvironment
    let runner: any CommandRunner
    let now: @Sendable () -> Date

    var credentialName: String { "AzureCLICredential" }
    var cacheKey: TokenCacheKey? { nil }

    func signIn() async throws -> AcquiredToken {
        guard let az = ExecutableSearch.find("az", environment: environment) else {
            throw HTTPTransportError("AzureCLICredential: Azure CLI not found on path")
        }
        var arguments = ["account", "get-access-token", "-o", "json", "--resource", serverID]
        if !tenantID.isEmpty { arguments += ["--tenant", tenantID] }
        if !subscription.isEmpty { arguments += ["--subscription", subscription] }
        let result = try await runner.run(executable: az, arguments: arguments, environment: environment)
        guard result.status == 0 else {
            throw HTTPTransportError("AzureCLICredential: \(result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        guard let object = JSONObject(bytes: Array(result.standardOutput.utf8)), let token = object.string("accessToken") else {
            throw HTTPTransportError("AzureCLICredential: unexpected output from az account get-access-token")
        }
        if let expiresOn = object.integer("expires_on") { return AcquiredToken(accessToken: token, expiresOn: expiresOn) }
        // Older az prints only local time: "2006-01-02 15:04:05.999999".
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        for format in ["yyyy-MM-dd HH:mm:ss.SSSSSS", "yyyy-MM-dd HH:mm:ss"] {
            formatter.dateFormat = format
            if let text = object.string("expiresOn"), let date = formatter.date(from: text) {
                return AcquiredToken(accessToken: token, expiresOn: Int64(date.timeIntervalSince1970))
            }
        }
        throw HTTPTransportError("AzureCLICredential: cannot read expiresOn from az output")
    }
}
