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
    /// When signing keys rotate on their own (``KeyRotationScheduler``); nil: only when asked.
    public var keyRotation: KeyRotationPolicy? = .standard
    /// Device-code lifetime and polling interval (RFC 8628; 900 s and 5 s as Entra).
    public var deviceCode = DeviceCodeSettings()
    /// A refresh token unused this long stops working (AADSTS700082); 90 days as Entra.
    public var refreshTokenInactivity: TimeInterval = 90 * 24 * 3600
    /// A second use of a rotated refresh token within this window returns the same successor.
    public var refreshTokenGraceWindow: TimeInterval = 5
    /// Authorization codes live this long (a minute at most; RFC 6819 §5.1.5.3).
    public var authorizationCodeLifetime: TimeInterval = 60
    /// scrypt cost of new password hashes (OWASP by default; tests use a cheap one).
    public var passwordHashParameters: PasswordHash.Parameters = .owasp
    /// Password lockouts and user-code attempt limits.
    public var signInPolicy = SignInThrottle.Policy()
    /// How long a browser stays signed in to the sign-in pages.
    public var browserSessionLifetime: TimeInterval = 8 * 3600
    /// Graph admin API requests a client (one principal through one app) may make per minute
    /// before it gets 429 with `Retry-After`.
    public var graphRequestsPerMinute = 600
    /// Seals private keys at rest (signing keys, clusters' local-account CA keys); nil keeps
    /// them as PEM (tests). `kubeid serve` always sets one (``KeyEncryption``).
    public var keyEncryption: KeyEncryption?
    /// Where the domain metrics go (``IssuerMetrics``); `serve --metrics-listen` sets a
    /// Prometheus one.
    public var metrics: IssuerMetrics = .disabled

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
    /// Users: password and TOTP checks with lockouts.
    public let credentials: UserCredentialVerifier
    /// The sign-in pages' state machine (password, TOTP, single sign-on) and its decision.
    public let interactiveSignIn: InteractiveSignIn
    /// Who may sign in: consulted by ``interactiveSignIn`` and ``tokenEndpoint``, nowhere else.
    public let accessPolicy: any AccessPolicy
    /// One record per sign-in attempt, written in batches.
    public let signInLog: SignInLog
    public let passwordHasher: PasswordHasher
    /// Keys client secrets (and derived keys); what the admin services hash new secrets with.
    public let secretHasher: SecretHasher
    /// `/devicecode` and the device flow the `/devicelogin` pages drive.
    public let deviceAuthorization: DeviceAuthorizationEndpoint
    public let deviceFlow: DeviceCodeFlow
    public let authorize: AuthorizeEndpoint
    public let refreshTokens: RefreshTokenService
    /// Seals the sign-in pages' cookie.
    public let browserSessions: BrowserSessionCodec
    public let signInThrottle: SignInThrottle
    /// The Graph-compatible group lookup behind the overage claim.
    public let memberObjects: MemberObjectsQuery
    /// "An access token kubeid issued", for every consumer of our own tokens.
    public let accessTokens: AccessTokenVerifier
    /// Graph permissions and directory roles granted in the directory.
    public let permissions: GrantedPermissions
    /// Bearer token → Graph caller, for the admin API.
    public let graphAuthenticator: GraphAuthenticator

    /// The administration services acting for `actor` (the Graph admin API passes its caller).
    /// PIM for groups.
    public var privilegedAccess: PrivilegedAccess { PrivilegedAccess(store: store, clock: clock) }

    public func administration(actor: AdministrationActor) -> DirectoryAdministration {
        DirectoryAdministration(store: store, clock: clock, hasher: secretHasher, passwordHasher: passwordHasher, actor: actor)
    }
    public let audit: AuditTrail
    /// The Kubernetes webhooks of registered clusters: TokenReview and SubjectAccessReview.
    public let clusterWebhooks: ClusterWebhooks

    public init(configuration: IssuerConfiguration, store: any IdentityStore, hasher: SecretHasher,
                externalKeys: any ExternalIssuerKeySource, clock: any IdentityClock = SystemClock(),
                logger: Logger = Logger(label: "kubeid")) {
        self.configuration = configuration
        self.secretHasher = hasher
        self.store = store
        self.clock = clock
        let urls = IssuerURLs(baseURL: configuration.issuerURL)
        self.urls = urls
        let keyRing = KeyRing(store: store, clock: clock, algorithm: configuration.signingAlgorithm,
                              retiredKeyRetention: configuration.retiredKeyRetention, rotation: configuration.keyRotation,
                              encryption: configuration.keyEncryption, metrics: configuration.metrics, logger: logger)
        self.keyRing = keyRing
        let metrics = configuration.metrics
        let directory = DirectoryView(store: store, clock: clock, maximumStaleness: configuration.directoryCacheStaleness,
                                      metrics: metrics)
        self.directory = directory
        let issuer = TokenIssuer(urls: urls, keyRing: keyRing, lifetime: configuration.accessTokenLifetime,
                                 groupOverageLimit: configuration.groupOverageLimit, clock: clock)
        let authenticator = ClientAuthenticator(directory: directory, hasher: hasher, replayCache: store,
                                                throttle: FailureThrottle(clock: clock), externalKeys: externalKeys,
                                                urls: urls, clock: clock)
        let audit = AuditTrail(store: store, clock: clock, logger: logger, metrics: metrics)
        self.audit = audit
        let passwordHasher = PasswordHasher(parameters: configuration.passwordHashParameters, metrics: metrics)
        self.passwordHasher = passwordHasher
        let throttle = SignInThrottle(store: store, clock: clock, policy: configuration.signInPolicy)
        self.signInThrottle = throttle
        let credentials = UserCredentialVerifier(store: store, passwordHasher: passwordHasher, throttle: throttle, clock: clock)
        self.credentials = credentials
        let policy = BuiltInAccessPolicy()
        self.accessPolicy = policy
        let signInLog = SignInLog(store: store, clock: clock, logger: logger, metrics: metrics)
        self.signInLog = signInLog
        self.interactiveSignIn = InteractiveSignIn(credentials: credentials, policy: policy, store: store, signIns: signInLog,
                                                   clock: clock, sessionLifetime: configuration.browserSessionLifetime)
        let refreshTokens = RefreshTokenService(store: store, clock: clock,
                                                successorKey: hasher.derivedKey(purpose: "refresh-successor"),
                                                inactivity: configuration.refreshTokenInactivity,
                                                graceWindow: configuration.refreshTokenGraceWindow, audit: audit, metrics: metrics)
        self.refreshTokens = refreshTokens
        let deviceFlow = DeviceCodeFlow(store: store, clock: clock, settings: configuration.deviceCode,
                                        verificationURI: "\(urls.baseURL)/devicelogin", metrics: metrics)
        self.deviceFlow = deviceFlow
        self.deviceAuthorization = DeviceAuthorizationEndpoint(directory: directory, flow: deviceFlow, throttle: throttle)
        self.authorize = AuthorizeEndpoint(directory: directory, store: store, urls: urls, clock: clock,
                                           codeLifetime: configuration.authorizationCodeLifetime)
        self.browserSessions = BrowserSessionCodec(key: hasher.derivedKey(purpose: "browser-session"))
        let verifier = AccessTokenVerifier(keyRing: keyRing, urls: urls, clock: clock)
        self.accessTokens = verifier
        let permissions = GrantedPermissions(store: store, directory: directory)
        self.permissions = permissions
        let graphAuthenticator = GraphAuthenticator(verifier: verifier, store: store, permissions: permissions)
        self.graphAuthenticator = graphAuthenticator
        self.memberObjects = MemberObjectsQuery(verifier: verifier, graph: graphAuthenticator, directory: directory, store: store)
        self.clusterWebhooks = ClusterWebhooks(
            directory: directory, hasher: hasher,
            tokenReviewer: ClusterTokenReviewer(keyRing: keyRing, urls: urls, directory: directory, clock: clock),
            authorizer: ClusterAuthorizer(directory: directory))
        let clients = ClientResolver(directory: directory, authenticator: authenticator)
        let minter = UserTokenMinter(directory: directory, issuer: issuer, refreshTokens: refreshTokens, permissions: permissions)
        self.tokenEndpoint = TokenEndpoint(
            grants: [ClientCredentialsGrant(directory: directory, permissions: permissions),
                     DeviceCodeGrant(flowState: deviceFlow, store: store, minter: minter),
                     AuthorizationCodeGrant(store: store, minter: minter, refreshTokens: refreshTokens, clock: clock, audit: audit),
                     RefreshTokenGrant(refreshTokens: refreshTokens, store: store, minter: minter),
                     PasswordGrant(credentials: credentials, minter: minter)],
            tenants: directory, clients: clients, directory: directory, policy: policy, userTokens: minter, issuer: issuer,
            signIns: signInLog, metrics: metrics, logger: logger)
    }

    /// Loads (or creates) the signing keys and gives every tenant the well-known applications
    /// it lacks (tenants created by an older release have no Microsoft Graph resource). Call
    /// once before serving.
    public func start() async throws {
        try await keyRing.start()
        try await WellKnownRegistrations.ensureAll(store: store, now: clock.now())
    }
}
