import KubernetesTypes

/// Builds the new exec block for one kubeconfig user, exactly as upstream's `Convert` does
/// (docs/kubelogin.md, convert-kubeconfig): where each value comes from, which arguments each mode
/// writes and in which order, and the errors for missing values.
///
/// One deliberate extension: `--authority-host` and `--disable-instance-discovery` are carried
/// (from the command line, else from the user's old exec args) after the mode's own arguments,
/// so re-converting a kubeconfig that points at kubeid keeps pointing at kubeid. When neither
/// is present the result is byte-exact upstream.
public struct KubeconfigConverter: Sendable {
    public static let command = "kubelogin"
    public static let execAPIVersion = "client.authentication.k8s.io/v1beta1"
    public static let defaultInstallHint = """

        kubelogin is not installed which is required to connect to AAD enabled cluster.

        To learn more, please go to https://azure.github.io/kubelogin/

        """

    /// Options after environment overrides; `setFlags` says which flags were typed.
    public let options: TokenOptions
    /// `--azure-config-dir` (azurecli only).
    public let azureConfigDir: String

    public init(options: TokenOptions, azureConfigDir: String = "") {
        self.options = options
        self.azureConfigDir = azureConfigDir
    }

    /// Whether upstream converts this user at all: a legacy `azure` auth-provider, or an exec
    /// plugin whose command contains `kubelogin` (case-insensitive).
    public static func isConvertible(_ user: KubeconfigUser) -> Bool {
        isLegacyAzure(user) || (user.exec?.command.lowercased().contains("kubelogin") ?? false)
    }

    static func isLegacyAzure(_ user: KubeconfigUser) -> Bool { user.authProvider?.name == "azure" }

    public func convert(_ user: KubeconfigUser) throws -> KubeconfigUser {
        let values = SourceValues(user: user, options: options)
        let old = ExecArguments(user.exec)
        var args = ["get-token", TokenFlag.login.argument, options.loginMethod]
        guard !values.serverID.isEmpty else { throw KubeLoginError.flagRequired(.serverID) }
        args += [TokenFlag.serverID.argument, values.serverID]
        if !values.cacheDir.isEmpty { args += [TokenFlag.cacheDir.argument, values.cacheDir] }
        var env: [KubeconfigExecEnvVar]? = nil

        func flagValue(_ flag: TokenFlag, _ value: String) {
            if options.isSet(flag) { args += [flag.argument, value] }
        }
        func requiredClientAndTenant() throws {
            guard !values.clientID.isEmpty else { throw KubeLoginError.flagRequired(.clientID) }
            args += [TokenFlag.clientID.argument, values.clientID]
            guard !values.tenantID.isEmpty else { throw KubeLoginError.flagRequired(.tenantID) }
            args += [TokenFlag.tenantID.argument, values.tenantID]
            if !values.environment.isEmpty { args += [TokenFlag.environment.argument, values.environment] }
        }
        func legacy() { if values.isLegacy { args.append(TokenFlag.legacy.argument) } }
        func proofOfPossession() throws {
            if values.isPoPEnabled && values.popClaims.isEmpty { throw KubeLoginError.popPairing(required: .popClaims, specified: .popEnabled) }
            if !values.popClaims.isEmpty && !values.isPoPEnabled { throw KubeLoginError.popPairing(required: .popEnabled, specified: .popClaims) }
            if values.isPoPEnabled { args += [TokenFlag.popEnabled.argument, TokenFlag.popClaims.argument, values.popClaims] }
        }

        switch LoginMode(rawValue: options.loginMethod) {
        case .azureDeveloperCLI:
            flagValue(.tenantID, options.tenantID)
        case .azureCLI:
            if !azureConfigDir.isEmpty { env = [KubeconfigExecEnvVar(name: EnvironmentVariable.azureConfigDir, value: azureConfigDir)] }
            // The kubeconfig's tenant is dropped on purpose: az logged in with MSI cannot take one (upstream #123).
            flagValue(.tenantID, options.tenantID)
            flagValue(.subscription, options.subscription)
        case .deviceCode:
            try requiredClientAndTenant()
            legacy()
        case .interactive:
            try requiredClientAndTenant()
            try proofOfPossession()
            if !values.redirectURL.isEmpty { args += [TokenFlag.redirectURL.argument, values.redirectURL] }
            if !values.loginHint.isEmpty { args += [TokenFlag.loginHint.argument, values.loginHint] }
        case .servicePrincipal:
            try requiredClientAndTenant()
            flagValue(.clientSecret, options.clientSecret)
            flagValue(.clientCertificate, options.clientCertificate)
            flagValue(.clientCertificatePassword, options.clientCertificatePassword)
            legacy()
            try proofOfPossession()
            if options.isSet(.disableEnvironmentOverride) { args.append(TokenFlag.disableEnvironmentOverride.argument) }
        case .managedIdentity:
            if options.isSet(.clientID) {
                args += [TokenFlag.clientID.argument, options.clientID]
            } else if options.isSet(.identityResourceID) {
                args += [TokenFlag.identityResourceID.argument, options.identityResourceID]
            }
        case .resourceOwnerPassword:
            try requiredClientAndTenant()
            flagValue(.username, options.username)
            flagValue(.password, options.password)
            legacy()
            try proofOfPossession()
        case .workloadIdentity:
            flagValue(.clientID, options.clientID)
            flagValue(.tenantID, options.tenantID)
            flagValue(.authorityHost, options.authorityHost)
            flagValue(.federatedTokenFile, options.federatedTokenFile)
        case .azurePipelines:
            guard !values.tenantID.isEmpty else { throw KubeLoginError.flagRequired(.tenantID) }
            args += [TokenFlag.tenantID.argument, values.tenantID]
            flagValue(.azurePipelinesServiceConnectionID, options.azurePipelinesServiceConnectionID)
        case nil:
            throw KubeLoginError.unsupportedLogin(options.loginMethod)
        }

        // kubeid's extension: keep pointing at the same authority (see the type's comment).
        if !args.contains(TokenFlag.authorityHost.argument) {
            let host = options.isSet(.authorityHost) ? options.authorityHost : old.value(after: .authorityHost)
            if !host.isEmpty { args += [TokenFlag.authorityHost.argument, host] }
        }
        // A typed `--disable-instance-discovery=false` wins over the old exec args.
        let disableDiscovery = options.isSet(.disableInstanceDiscovery)
            ? options.disableInstanceDiscovery : old.contains(.disableInstanceDiscovery)
        if disableDiscovery { args.append(TokenFlag.disableInstanceDiscovery.argument) }

        var converted = user
        let hint = user.exec.map(\.installHint).flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultInstallHint
        converted.exec = KubeconfigExec(command: Self.command, args: args, env: env, apiVersion: Self.execAPIVersion,
                                        installHint: hint, provideClusterInfo: false)
        converted.authProvider = nil
        return converted
    }
}

/// The values `getArgValues` merges: the typed flag first, then the legacy `azure`
/// auth-provider config, else the old exec args (those two never mix for
/// environment/tenant/client/server/legacy; the rest always look at the exec args).
struct SourceValues {
    var environment = ""
    var tenantID = ""
    var clientID = ""
    var serverID = ""
    var isLegacy = false
    var cacheDir = ""
    var isPoPEnabled = false
    var popClaims = ""
    var redirectURL = ""
    var loginHint = ""

    init(user: KubeconfigUser, options: TokenOptions) {
        let exec = ExecArguments(user.exec)
        let provider = KubeconfigConverter.isLegacyAzure(user) ? user.authProvider?.config ?? [:] : nil
        func pick(_ flag: TokenFlag, _ optionValue: String, configKey: String) -> String {
            if options.isSet(flag) { return optionValue }
            if let provider { return provider[configKey] ?? "" }
            return exec.value(after: flag)
        }
        environment = pick(.environment, options.environment, configKey: "environment")
        tenantID = pick(.tenantID, options.tenantID, configKey: "tenant-id")
        clientID = pick(.clientID, options.clientID, configKey: "client-id")
        serverID = pick(.serverID, options.serverID, configKey: "apiserver-id")
        if options.isSet(.legacy) && options.isLegacy {
            isLegacy = true
        } else if let provider {
            let mode = provider["config-mode"] ?? ""
            isLegacy = mode.isEmpty || mode == "0"
        } else {
            isLegacy = exec.contains(.legacy)
        }
        if options.isSet(.cacheDir) || options.isSet(.tokenCacheDir) {
            cacheDir = options.cacheDir
        } else {
            let fromCacheDir = exec.value(after: .cacheDir)
            cacheDir = fromCacheDir.isEmpty ? exec.value(after: .tokenCacheDir) : fromCacheDir
        }
        isPoPEnabled = options.isSet(.popEnabled) ? options.isPoPEnabled : exec.contains(.popEnabled)
        popClaims = options.isSet(.popClaims) ? options.popClaims : exec.value(after: .popClaims)
        redirectURL = options.isSet(.redirectURL) ? options.redirectURL : exec.value(after: .redirectURL)
        loginHint = options.isSet(.loginHint) ? options.loginHint : exec.value(after: .loginHint)
    }
}
