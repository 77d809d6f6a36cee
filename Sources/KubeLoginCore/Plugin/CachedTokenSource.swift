import Foundation
import Synchronization

/// The cache policy every cached mode shares:
/// 1. an access token is reused until 5 minutes before it expires (MSAL's margin);
/// 2. then the refresh token is redeemed silently;
/// 3. only when there is none, or the server refuses it, does the mode sign in (prompt).
///
/// Steps 2-3 and the write run under the entry's cross-process lock, after re-reading the
/// entry: of 20 parallel runs with an expired entry, one refreshes and 19 find its result
/// (no refresh token is redeemed twice). The fast path reads without the lock, so a cache hit never
/// waits behind another run's prompt.
struct CachedTokenSource: Sendable {
    static let reuseMargin: Int64 = 300

    let provider: any TokenProvider
    let cache: FileTokenCache?
    let authRecordPath: String
    let now: @Sendable () -> Date
    let deadline: ContinuousClock.Instant
    let stage: RunStage
    let log: DiagnosticLog

    func token() async throws -> AcquiredToken {
        guard let cache, let key = provider.cacheKey else {
            log.verbose(5, "using credential: \(provider.credentialName) (not cached)")
            return try await signIn(firstSignIn: false)
        }
        if let entry = try cache.read(key), isFresh(entry) {
            log.verbose(5, "using cached token for \(provider.credentialName)")
            return entry.token
        }
        return try await cache.withLock(key, deadline: deadline) {
            let entry = try cache.read(key)
            if let entry, isFresh(entry) {
                log.verbose(5, "another kubelogin refreshed the cached token; using it")
                return entry.token
            }
            var token: AcquiredToken? = nil
            if let refreshToken = entry?.refreshToken {
                token = try await refresh(with: refreshToken)
            }
            if token == nil { token = try await signIn(firstSignIn: provider.isUserSignIn && entry == nil) }
            guard let token else { throw KubeLoginError("failed to get token: no token") }
            do {
                try cache.write(TokenCacheEntry(key: key, token: token))
            } catch {
                log.warning("the token could not be cached: \(error)")
            }
            if provider.isUserSignIn { try recordAccount(token.account, key: key) }
            return token
        }
    }

    private func isFresh(_ entry: TokenCacheEntry) -> Bool {
        entry.expiresOn - Int64(now().timeIntervalSince1970) > Self.reuseMargin
    }

    /// A refreshed token, or nil when the refresh token was refused (then a sign-in follows).
    private func refresh(with refreshToken: String) async throws -> AcquiredToken? {
        stage.set(.gettingToken)
        log.verbose(5, "cached token expires within 5 minutes; redeeming the refresh token")
        let outcome: RefreshOutcome
        do {
            outcome = try await provider.refresh(using: refreshToken)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw KubeLoginError("failed to get token: \(provider.credentialName): \(error)")
        }
        switch outcome {
        case .token(var token):
            // Entra may omit a new refresh token; the old one then stays valid.
            if token.refreshToken == nil { token.refreshToken = refreshToken }
            return token
        case .rejected(let error):
            log.verbose(5, "refresh token refused (\(error.error)); signing in again")
            return nil
        case .unsupported:
            return nil
        }
    }

    private func signIn(firstSignIn: Bool) async throws -> AcquiredToken {
        stage.set(firstSignIn ? .authenticating : .gettingToken)
        log.verbose(5, "using credential: \(provider.credentialName)")
        do {
            return try await provider.signIn()
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as KubeLoginError {
            throw error
        } catch {
            let prefix = firstSignIn ? "failed to authenticate" : "failed to get token"
            throw KubeLoginError("\(prefix): \(provider.credentialName): \(error)")
        }
    }

    /// Upstream writes `auth.json` only when it is missing or unreadable, never afterwards.
    private func recordAccount(_ account: SignedInAccount?, key: TokenCacheKey) throws {
        guard let account, AuthenticationRecord.read(from: authRecordPath) == nil else { return }
        let record = AuthenticationRecord(authority: account.authority, clientID: key.clientID, homeAccountID: account.homeAccountID,
                                          tenantID: account.tenantID, username: account.username)
        do {
            try record.write(to: authRecordPath)
        } catch {
            throw KubeLoginError("failed to store record: \(error)")
        }
    }
}

/// Which step the run is in, so a `--timeout` expiry is reported as upstream words it.
final class RunStage: Sendable {
    enum Stage: Sendable {
        case preparing, authenticating, gettingToken
    }

    private let current = Mutex(Stage.preparing)

    func set(_ stage: Stage) { current.withLock { $0 = stage } }
    var value: Stage { current.withLock { $0 } }
}
