import Foundation
import KubernetesTypes

/// The cache-hit path of `get-token`, runnable before anything heavy starts (no argument
/// parser, no HTTP client, no concurrency runtime): kubectl runs the plugin for every command,
/// so this path is the plugin's start-up cost (docs/decisions/0003-kubelogin-start-up.md).
///
/// It answers only when the normal path would answer the same way from the cache; any doubt
/// (invalid options, a mode that is not cached, a miss, a bad `KUBERNETES_EXEC_INFO`) returns
/// nil and the normal path runs, with its messages.
public enum CacheHit {
    public static func credentialLine(options parsed: TokenOptions, environment variables: ProcessEnvironment,
                                      now: Date = Date()) -> String? {
        let options = EnvironmentOverrides.apply(to: parsed, environment: variables)
        guard (try? options.validate()) != nil, !options.serverID.isEmpty else { return nil }
        let environment = PluginEnvironment(variables: variables, transport: NoTransport(), browser: NoBrowserLauncher(),
                                            commandRunner: NoCommandRunner(), standardOutput: DiscardingSink(),
                                            standardError: DiscardingSink(), now: { now })
        guard let provider = try? TokenProviderFactory.make(options: options, environment: environment),
              let key = provider.cacheKey,
              // A refused cache (owner, mode, symlink) is left to the full path, which reports it.
              let entry = try? FileTokenCache(cacheDirectory: options.cacheDir).read(key),
              entry.expiresOn - Int64(now.timeIntervalSince1970) > CachedTokenSource.reuseMargin,
              let version = try? ExecCredentialRequest.apiVersion(execInfo: variables[EnvironmentVariable.kubernetesExecInfo])
        else { return nil }
        return ExecCredential(apiVersion: version, token: entry.accessToken,
                              expirationTimestamp: CredentialExpiry.expirationTimestamp(forTokenExpiringAt: entry.expiresOn)).jsonLine
    }
}

private struct NoTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse { throw HTTPTransportError("no network on the cache-hit path") }
}

private struct NoBrowserLauncher: BrowserLauncher {
    func open(_ url: String) -> Bool { false }
}

private struct NoCommandRunner: CommandRunner {
    func run(executable: String, arguments: [String], environment: ProcessEnvironment) async throws -> CommandResult {
        throw HTTPTransportError("no helper programs on the cache-hit path")
    }
}

private struct DiscardingSink: TextSink {
    func write(_ text: String) {}
}
