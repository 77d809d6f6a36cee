import Cryptography
import Foundation
import Logging

/// Settings of one issuer, resolved by the composition root from flags and environment.
public struct IssuerConfiguration: Sendable {
    /// Public base URL (`https://host[:port]`), used in every issuer and endpoint string.
    public var issuerURL: String
    public var accessTokenLifetime: AccessTokenLifetime
    public var groupOverageLimit: Int
    /// How stale the token endpoint's directory cache may get (see ``DirectoryView``).
    public var directoryCacheStaleness: TimeInterval
    /// Algorithm of newly generated signing keys.
    public var signingAlgorithm: JWSAlgorithm
    /// How long a retired signing key stays in the JWKS: longer than any token it signed lives.
    public var retiredKeyRetention: TimeInterval

    public init(issuerURL: String, accessTokenLifetime: AccessTokenLifetime = .entraDefault,
                groupOverageLimit: Int = GroupsClaim.defaultOverageLimit, directoryCacheStaleness: TimeInterval = 1,
                signingAlgorithm: JWSAlgorithm = .rs256, retiredKeyRetention: TimeInterval? = nil) {
        self.issuerURL = issuerURL
        self.accessTokenLifetime = accessTokenLifetime
        self.groupOverageLimit = groupOverageLimit
        self.directoryCacheStaleness = directoryCacheStaleness
        self.signingAlgorithm = signingAlgorithm
        // Keep a retired key published for the longest token lifetime plus an hour of margin
        // for clock skew and verifiers' JWKS caches.
        self.retiredKeyRetention = retiredKeyRetention ?? (accessTokenLifetime.maximum + 3600)
    }
}

/// The issuer's domain services wired together: what `serve` runs and what tests drive.
public struct Issuer: Sendable {
    public let configuration: IssuerConfiguration
    public let store: any IdentityStore
    public let urls: IssuerURLs
    public let keyRing: KeyRing
    public let directory: DirectoryView
    public let tokenEndpoint: TokenEndpoint
    public let clock: any IdentityClock

    public init(configuration: IssuerConfiguration, store: any IdentityStore, hasher: SecretHasher,
                externalKeys: any ExternalIssuerKeySource, clock: any IdentityClock = SystemClock(),
                logger: Logger = Logger(label: "kubeid")) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        let urls = IssuerURLs(baseURL: configuration.issuerURL)
        self.urls = urls
        let keyRing = KeyRing(store: store, clock: clock, algorithm: configuration.signingAlgorithm,
                              retiredKeyRetention: configuration.retiredKeyRetention, logger: logger)
        self.keyRing = keyRing
        let directory = DirectoryView(store: store, clock: clock, maximumStaleness: configuration.directoryCacheStaleness)
        self.directory = directory
        let issuer = TokenIssuer(urls: urls, keyRing: keyRing, lifetime: configuration.accessTokenLifetime,
                                 groupOverageLimit: configuration.groupOverageLimit, clock: clock)
        let authenticator = ClientAuthenticator(directory: directory, hasher: hasher, replayCache: store,
                                                throttle: FailureThrottle(clock: clock), externalKeys: externalKeys,
                                                urls: urls, clock: clock)
        self.tokenEndpoint = TokenEndpoint(
            grants: [ClientCredentialsGrant(authenticator: authenticator, directory: directory, issuer: issuer)],
            tenants: directory, logger: logger)
    }

    /// Loads (or creates) the signing keys. Call once before serving.
    public func start() async throws {
        try await keyRing.start()
    }
}
