import Foundation
import KubernetesTypes

/// `kubelogin get-token`: upstream's flow (docs/compatibility.md, kubelogin exec protocol) with
/// kubeid's cache.
///
/// Order: environment overrides → validation → `server-id is required` → the `--timeout`
/// deadline over everything that follows → provider → cached/refreshed/new token → the
/// ExecCredential on stdout (its version checked only then, as upstream does).
public struct GetToken: Sendable {
    public let options: TokenOptions
    public let environment: PluginEnvironment

    /// - Parameter options: as parsed from the command line, before environment overrides.
    public init(options: TokenOptions, environment: PluginEnvironment) {
        self.options = options
        self.environment = environment
    }

    public func run() async throws {
        let authRecordPath = AuthenticationRecord.path(inCacheDirectory: options.cacheDir)
        let options = EnvironmentOverrides.apply(to: self.options, environment: environment.variables)
        try options.validate()
        guard !options.serverID.isEmpty else { throw KubeLoginError.serverIDRequired }

        let log = environment.log
        let deadline = ContinuousClock.now.advanced(by: options.timeout)
        let stage = RunStage()
        let provider = try TokenProviderFactory.make(options: options, environment: environment)
        let source = CachedTokenSource(provider: provider, cache: FileTokenCache(cacheDirectory: options.cacheDir),
                                       authRecordPath: authRecordPath, now: environment.now, deadline: deadline,
                                       stage: stage, log: log)
        let token: AcquiredToken
        do {
            token = try await Deadline.run(before: deadline) { try await source.token() }
        } catch is DeadlineExceeded {
            let prefix = stage.value == .authenticating ? "failed to authenticate" : "failed to get token"
            throw KubeLoginError("\(prefix): \(provider.credentialName): context deadline exceeded")
        }
        let version: ExecCredentialAPIVersion
        do {
            version = try ExecCredentialRequest.apiVersion(execInfo: environment.variables[EnvironmentVariable.kubernetesExecInfo])
        } catch {
            throw KubeLoginError("\(error)")
        }
        let expiry = CredentialExpiry.expirationTimestamp(forTokenExpiringAt: token.expiresOn)
        environment.standardOutput.write(ExecCredential(apiVersion: version, token: token.accessToken,
                                                        expirationTimestamp: expiry).jsonLine)
    }
}

struct DeadlineExceeded: Error {}

/// Runs work that must finish before a deadline; past it the work is cancelled.
enum Deadline {
    static func run<T: Sendable>(before deadline: ContinuousClock.Instant, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            while true {
                do {
                    guard let first = try await group.next() else { throw DeadlineExceeded() }
                    if let value = first { return value }
                    throw DeadlineExceeded()
                } catch is CancellationError where ContinuousClock.now >= deadline {
                    throw DeadlineExceeded()
                }
            }
        }
    }
}
