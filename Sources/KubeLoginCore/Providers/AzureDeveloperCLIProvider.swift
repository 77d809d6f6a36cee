import Foundation

/// `--login azd`: delegates to `azd auth token`, as azidentity's AzureDeveloperCLICredential does.
struct AzureDeveloperCLIProvider: TokenProvider {
    let scope: String
    let tenantID: String
    let environment: ProcessEnvironment
    let runner: any CommandRunner

    var credentialName: String { "AzureDeveloperCLICredential" }
    var cacheKey: TokenCacheKey? { nil }

    func signIn() async throws -> AcquiredToken {
        guard let azd = ExecutableSearch.find("azd", environment: environment) else {
            throw HTTPTransportError("AzureDeveloperCLICredential: Azure Developer CLI not found on path")
        }
        var arguments = ["auth", "token", "--output", "json", "--scope", scope]
        if !tenantID.isEmpty { arguments += ["--tenant-id", tenantID] }
        let result = try await runner.run(executable: azd, arguments: arguments, environment: environment)
        guard result.status == 0 else {
            throw HTTPTransportError("AzureDeveloperCLICredential: \(result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        guard let object = JSONObject(bytes: Array(result.standardOutput.utf8)), let token = object.string("token"),
              let expiresText = object.string("expiresOn") else {
            throw HTTPTransportError("AzureDeveloperCLICredential: unexpected output from azd auth token")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: expiresText) ?? fractional.date(from: expiresText) else {
            throw HTTPTransportError("AzureDeveloperCLICredential: cannot read expiresOn \(expiresText)")
        }
        return AcquiredToken(accessToken: token, expiresOn: Int64(date.timeIntervalSince1970))
    }
}
