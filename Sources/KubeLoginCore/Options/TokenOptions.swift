/// Every value the shared flags carry, after parsing and before or after the environment
/// overrides (``EnvironmentOverrides``). This mirrors the command line, which is flat by nature;
/// each login mode then takes only the part it needs (see the providers).
public struct TokenOptions: Sendable, Equatable {
    public var loginMethod = LoginMode.deviceCode.rawValue
    public var clientID = ""
    public var clientSecret = ""
    public var clientCertificate = ""
    public var clientCertificatePassword = ""
    public var username = ""
    public var password = ""
    public var identityResourceID = ""
    public var serverID = ""
    public var federatedTokenFile = ""
    public var authorityHost = ""
    public var azurePipelinesServiceConnectionID = ""
    /// `--cache-dir` and the deprecated `--token-cache-dir` share this value.
    public var cacheDir: String
    public var tenantID = ""
    public var subscription = ""
    public var environment = "AzurePublicCloud"
    public var isLegacy = false
    public var useAzureRMEnvVars = false
    public var isPoPEnabled = false
    public var popClaims = ""
    /// Bounds the whole `get-token` run, in every mode.
    public var timeout: Duration = .seconds(60)
    public var disableEnvironmentOverride = false
    public var disableInstanceDiscovery = false
    public var redirectURL = ""
    public var loginHint = ""

    /// Flags the user typed (pflag's `Changed`), whatever their value.
    public var setFlags: Set<TokenFlag> = []

    public init(defaultCacheDir: String) {
        self.cacheDir = defaultCacheDir
    }

    public func isSet(_ flag: TokenFlag) -> Bool { setFlags.contains(flag) }

    public var loginMode: LoginMode? { LoginMode(rawValue: loginMethod) }

    /// `$KUBECACHEDIR` if set (used as is), else `$HOME/.kube/cache/kubelogin/` (trailing slash kept).
    public static func defaultCacheDir(environment: ProcessEnvironment) -> String {
        if let dir = environment[EnvironmentVariable.kubeCacheDir], !dir.isEmpty { return dir }
        return compiledInCacheDir(environment: environment)
    }

    /// What `remove-cache-dir` defaults to: upstream ignores `KUBECACHEDIR` there.
    public static func compiledInCacheDir(environment: ProcessEnvironment) -> String {
        environment.homeDirectory + "/.kube/cache/kubelogin/"
    }
}
