import ArgumentParser
import KubeLoginCore

/// The flags `get-token` and `convert-kubeconfig` share (as in Azure/kubelogin), with upstream's
/// names, short names and help. Values stay optional here so "typed or not" is visible;
/// ``tokenOptions(environment:normalizer:)`` turns them into ``TokenOptions``.
struct TokenOptionGroup: ParsableArguments {
    @Option(name: [.customShort("l"), .customLong("login")],
            parsing: .unconditional, help: "Login method. Supported methods: \(LoginMode.supportedList). It may be specified in AAD_LOGIN_METHOD environment variable (default \"devicecode\")")
    var login: String?
    @Option(name: .customLong("client-id"), parsing: .unconditional, help: "AAD client application ID. It may be specified in AAD_SERVICE_PRINCIPAL_CLIENT_ID or AZURE_CLIENT_ID environment variable")
    var clientID: String?
    @Option(name: .customLong("client-secret"), parsing: .unconditional, help: "AAD client application secret. Used in spn login. It may be specified in AAD_SERVICE_PRINCIPAL_CLIENT_SECRET or AZURE_CLIENT_SECRET environment variable")
    var clientSecret: String?
    @Option(name: .customLong("client-certificate"), parsing: .unconditional, help: "AAD client cert in pfx. Used in spn login. It may be specified in AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE or AZURE_CLIENT_CERTIFICATE_PATH environment variable")
    var clientCertificate: String?
    @Option(name: .customLong("client-certificate-password"), parsing: .unconditional, help: "Password for AAD client cert. Used in spn login. It may be specified in AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD or AZURE_CLIENT_CERTIFICATE_PASSWORD environment variable")
    var clientCertificatePassword: String?
    @Option(name: .customLong("username"), parsing: .unconditional, help: "user name for ropc login flow. It may be specified in AAD_USER_PRINCIPAL_NAME or AZURE_USERNAME environment variable")
    var username: String?
    @Option(name: .customLong("password"), parsing: .unconditional, help: "password for ropc login flow. It may be specified in AAD_USER_PRINCIPAL_PASSWORD or AZURE_PASSWORD environment variable")
    var password: String?
    @Option(name: .customLong("identity-resource-id"), parsing: .unconditional, help: "Managed Identity resource id.")
    var identityResourceID: String?
    @Option(name: .customLong("server-id"), parsing: .unconditional, help: "AAD server application ID")
    var serverID: String?
    @Option(name: .customLong("federated-token-file"), parsing: .unconditional, help: "Workload Identity federated token file. It may be specified in AZURE_FEDERATED_TOKEN_FILE environment variable")
    var federatedTokenFile: String?
    @Option(name: .customLong("authority-host"), parsing: .unconditional, help: "Workload Identity authority host. It may be specified in AZURE_AUTHORITY_HOST environment variable")
    var authorityHost: String?
    @Option(name: .customLong("azure-pipelines-service-connection-id"), parsing: .unconditional, help: "Azure Pipelines service connection ID. It may be specified in AZURESUBSCRIPTION_SERVICE_CONNECTION_ID environment variable")
    var azurePipelinesServiceConnectionID: String?
    @Option(name: .customLong("token-cache-dir"), parsing: .unconditional, help: .hidden)
    var tokenCacheDir: String?
    @Option(name: .customLong("cache-dir"), parsing: .unconditional, help: "directory to cache authentication record (default \"~/.kube/cache/kubelogin/\")")
    var cacheDir: String?
    @Option(name: [.customShort("t"), .customLong("tenant-id")], parsing: .unconditional, help: "AAD tenant ID. It may be specified in AZURE_TENANT_ID environment variable")
    var tenantID: String?
    @Option(name: [.customShort("s"), .customLong("subscription")], parsing: .unconditional, help: "Azure subscription ID for azurecli login")
    var subscription: String?
    @Option(name: [.customShort("e"), .customLong("environment")], parsing: .unconditional, help: "Azure environment name (default \"AzurePublicCloud\")")
    var environment: String?
    @Flag(name: .customLong("legacy"), help: "set to true to get token with 'spn:' prefix in audience claim")
    var legacy = false
    @Flag(name: .customLong("use-azurerm-env-vars"), help: "Use environment variable names of Terraform Azure Provider (ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_CLIENT_CERTIFICATE_PATH, ARM_CLIENT_CERTIFICATE_PASSWORD, ARM_TENANT_ID)")
    var useAzureRMEnvVars = false
    @Flag(name: .customLong("pop-enabled"), help: "set to true to use a PoP token for authentication or false to use a regular bearer token")
    var popEnabled = false
    @Option(name: .customLong("timeout"), parsing: .unconditional, help: "Timeout duration for Azure CLI token requests. It may be specified in AZURE_CLI_TIMEOUT environment variable (default 1m0s)")
    var timeout: String?
    @Option(name: .customLong("pop-claims"), parsing: .unconditional, help: "contains a comma-separated list of claims to attach to the pop token in the format `key=val,key2=val2`. At minimum, specify the ARM ID of the cluster as `u=ARM_ID`")
    var popClaims: String?
    @Flag(name: .customLong("disable-environment-override"), help: "Enable or disable the use of env-variables. Default false")
    var disableEnvironmentOverride = false
    @Flag(name: .customLong("disable-instance-discovery"), help: "set to true to disable instance discovery in environments with their own simple Identity Provider (not AAD) that do not have instance metadata discovery endpoint. Default false")
    var disableInstanceDiscovery = false
    @Option(name: .customLong("redirect-url"), parsing: .unconditional, help: "The URL Microsoft Entra ID will redirect to with the access token. This is only used for interactive login. This is an optional parameter.")
    var redirectURL: String?
    @Option(name: .customLong("login-hint"), parsing: .unconditional, help: "The login hint to pre-fill the username in the interactive login flow.")
    var loginHint: String?

    func tokenOptions(environment variables: ProcessEnvironment, normalizer: ArgumentNormalizer) throws -> TokenOptions {
        var options = TokenOptions(defaultCacheDir: TokenOptions.defaultCacheDir(environment: variables))
        options.setFlags = normalizer.typedFlags
        if let login { options.loginMethod = login }
        if let clientID { options.clientID = clientID }
        if let clientSecret { options.clientSecret = clientSecret }
        if let clientCertificate { options.clientCertificate = clientCertificate }
        if let clientCertificatePassword { options.clientCertificatePassword = clientCertificatePassword }
        if let username { options.username = username }
        if let password { options.password = password }
        if let identityResourceID { options.identityResourceID = identityResourceID }
        if let serverID { options.serverID = serverID }
        if let federatedTokenFile { options.federatedTokenFile = federatedTokenFile }
        if let authorityHost { options.authorityHost = authorityHost }
        if let azurePipelinesServiceConnectionID { options.azurePipelinesServiceConnectionID = azurePipelinesServiceConnectionID }
        if let directory = normalizer.lastCacheDirectory ?? cacheDir ?? tokenCacheDir { options.cacheDir = directory }
        if let tenantID { options.tenantID = tenantID }
        if let subscription { options.subscription = subscription }
        if let environment { options.environment = environment }
        options.isLegacy = legacy
        options.useAzureRMEnvVars = useAzureRMEnvVars
        options.isPoPEnabled = popEnabled
        if let timeout {
            guard let parsed = GoDuration.parse(timeout) else {
                throw KubeLoginError("invalid argument \(GoQuote.quote(timeout)) for \"--timeout\" flag: time: invalid duration \(GoQuote.quote(timeout))")
            }
            options.timeout = parsed
        }
        if let popClaims { options.popClaims = popClaims }
        options.disableEnvironmentOverride = disableEnvironmentOverride
        options.disableInstanceDiscovery = disableInstanceDiscovery
        if let redirectURL { options.redirectURL = redirectURL }
        if let loginHint { options.loginHint = loginHint }
        return options
    }
}

/// Global flags upstream takes from klog (`--logtostderr`, `-v`).
struct GlobalOptionGroup: ParsableArguments {
    @Flag(name: .customLong("logtostderr"), help: "log to standard error instead of files (default true)")
    var logToStandardError = false
    @Option(name: [.customShort("v"), .customLong("v")], parsing: .unconditional, help: "number for the log level verbosity")
    var verbosity: Int = 0
}
