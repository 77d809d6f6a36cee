/// The flags shared by `get-token` and `convert-kubeconfig`, named once so the command line, the
/// "was this flag typed?" bookkeeping and the converter's argument lists cannot drift apart.
public enum TokenFlag: String, Sendable, CaseIterable, Hashable {
    case login
    case clientID = "client-id"
    case clientSecret = "client-secret"
    case clientCertificate = "client-certificate"
    case clientCertificatePassword = "client-certificate-password"
    case username
    case password
    case identityResourceID = "identity-resource-id"
    case serverID = "server-id"
    case federatedTokenFile = "federated-token-file"
    case authorityHost = "authority-host"
    case azurePipelinesServiceConnectionID = "azure-pipelines-service-connection-id"
    case tokenCacheDir = "token-cache-dir"
    case cacheDir = "cache-dir"
    case tenantID = "tenant-id"
    case subscription
    case environment
    case legacy
    case useAzureRMEnvVars = "use-azurerm-env-vars"
    case popEnabled = "pop-enabled"
    case timeout
    case popClaims = "pop-claims"
    case disableEnvironmentOverride = "disable-environment-override"
    case disableInstanceDiscovery = "disable-instance-discovery"
    case redirectURL = "redirect-url"
    case loginHint = "login-hint"

    /// `--client-id`, as written into exec args.
    public var argument: String { "--" + rawValue }

    /// The flags that take no value (pflag bool flags).
    public static let booleanFlags: Set<TokenFlag> = [
        .legacy, .useAzureRMEnvVars, .popEnabled, .disableEnvironmentOverride, .disableInstanceDiscovery,
    ]
}
