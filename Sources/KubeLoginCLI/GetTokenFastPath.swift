import KubeLoginCore

/// Reads `get-token` arguments without ArgumentParser (whose start-up, with the runtime's
/// protocol-conformance scans, costs more than the whole cache hit) and, if the cache can
/// answer, prints the ExecCredential. Anything unusual — an unknown flag, `-v`, a deprecated
/// flag, help — leaves the run to the full command line, which then reports errors as usual.
enum GetTokenFastPath {
    static func run(_ arguments: [String], environment: ProcessEnvironment, output: any TextSink) -> Bool {
        guard arguments.first == "get-token", let options = parse(arguments.dropFirst(), environment: environment),
              let line = CacheHit.credentialLine(options: options, environment: environment) else { return false }
        output.write(line)
        return true
    }

    static func parse(_ arguments: ArraySlice<String>, environment: ProcessEnvironment) -> TokenOptions? {
        var options = TokenOptions(defaultCacheDir: TokenOptions.defaultCacheDir(environment: environment))
        var remaining = arguments
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("-"), argument != "-", argument != "--" else { return nil }
            var name = argument
            var value: String? = nil
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard let flag = ArgumentNormalizer.flag(named: name), flag != .tokenCacheDir else { return nil }
            options.setFlags.insert(flag)
            if TokenFlag.booleanFlags.contains(flag) {
                guard let enabled = value.map(ArgumentNormalizer.parseBool) ?? true else { return nil }
                switch flag {
                case .legacy: options.isLegacy = enabled
                case .useAzureRMEnvVars: options.useAzureRMEnvVars = enabled
                case .popEnabled: options.isPoPEnabled = enabled
                case .disableEnvironmentOverride: options.disableEnvironmentOverride = enabled
                case .disableInstanceDiscovery: options.disableInstanceDiscovery = enabled
                default: return nil
                }
                continue
            }
            guard let text = value ?? remaining.popFirst() else { return nil }
            switch flag {
            case .login: options.loginMethod = text
            case .clientID: options.clientID = text
            case .clientSecret: options.clientSecret = text
            case .clientCertificate: options.clientCertificate = text
            case .clientCertificatePassword: options.clientCertificatePassword = text
            case .username: options.username = text
            case .password: options.password = text
            case .identityResourceID: options.identityResourceID = text
            case .serverID: options.serverID = text
            case .federatedTokenFile: options.federatedTokenFile = text
            case .authorityHost: options.authorityHost = text
            case .azurePipelinesServiceConnectionID: options.azurePipelinesServiceConnectionID = text
            case .cacheDir: options.cacheDir = text
            case .tenantID: options.tenantID = text
            case .subscription: options.subscription = text
            case .environment: options.environment = text
            case .timeout:
                guard let duration = GoDuration.parse(text) else { return nil }
                options.timeout = duration
            case .popClaims: options.popClaims = text
            case .redirectURL: options.redirectURL = text
            case .loginHint: options.loginHint = text
            default: return nil
            }
        }
        return options
    }
}
