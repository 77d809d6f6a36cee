/// Picks the provider for `--login` and checks what it needs, with upstream's messages
/// (`failed to create azidentity credential: client ID cannot be empty`, …). Modes this build
/// cannot serve say so plainly instead of failing later.
public enum TokenProviderFactory {
    public static func make(options: TokenOptions, environment: PluginEnvironment) throws -> any TokenProvider {
        guard let mode = options.loginMode else { throw KubeLoginError.unsupportedLogin(options.loginMethod) }
        let authority = Authority(options: options)
        let client = EntraClient(authority: authority, transport: environment.transport, now: environment.now, log: environment.log)
        let resource = Scope.forServerID(options.serverID)
        let userScope = Scope.userFlowScope(forServerID: options.serverID)
        func key(user: String = "") -> TokenCacheKey {
            TokenCacheKey(authority: authority.hostName, tenant: options.tenantID, clientID: options.clientID,
                          resource: resource, loginMode: mode, user: user)
        }
        func requireClientAndTenant() throws {
            guard !options.clientID.isEmpty else { throw KubeLoginError.credential("client ID cannot be empty") }
            guard !options.tenantID.isEmpty else { throw KubeLoginError.credential("tenant ID cannot be empty") }
        }
        let refresher = UserSignInRefresher(client: client, clientID: options.clientID, scope: userScope)

        switch mode {
        case .deviceCode:
            if options.isLegacy { throw unsupported("--legacy with devicecode (ADAL v1 tokens with an spn: audience)") }
            try requireClientAndTenant()
            let flow = DeviceCodeFlow(client: client, clientID: options.clientID, scope: userScope,
                                      prompt: environment.standardError, sleep: environment.sleep)
            return DeviceCodeProvider(flow: flow, refresher: refresher, cacheKey: key())

        case .interactive:
            if options.isPoPEnabled { throw unsupported("--pop-enabled (proof-of-possession tokens)") }
            try requireClientAndTenant()
            let flow = AuthorizationCodeFlow(client: client, clientID: options.clientID, scope: userScope,
                                             redirectURL: options.redirectURL, loginHint: options.loginHint,
                                             browser: environment.browser, prompt: environment.standardError)
            return InteractiveBrowserProvider(flow: flow, refresher: refresher, cacheKey: key(user: options.loginHint))

        case .servicePrincipal:
            if options.isLegacy { throw unsupported("--legacy with spn (ADAL v1 tokens with an spn: audience)") }
            if options.isPoPEnabled { throw unsupported("--pop-enabled (proof-of-possession tokens)") }
            try requireClientAndTenant()
            if !options.clientCertificate.isEmpty {
                return ClientCertificateProvider(client: client, clientID: options.clientID, scope: resource,
                                                 certificatePath: options.clientCertificate,
                                                 certificatePassword: options.clientCertificatePassword, cacheKey: key())
            }
            guard !options.clientSecret.isEmpty else { throw KubeLoginError.credential("client secret cannot be empty") }
            let flow = ClientCredentialsFlow(client: client, clientID: options.clientID, scope: resource,
                                             credential: .secret(options.clientSecret))
            return ClientSecretProvider(flow: flow, cacheKey: key())

        case .resourceOwnerPassword:
            if options.isPoPEnabled { throw unsupported("--pop-enabled (proof-of-possession tokens)") }
            try requireClientAndTenant()
            guard !options.username.isEmpty else { throw KubeLoginError.credential("username cannot be empty") }
            guard !options.password.isEmpty else { throw KubeLoginError.credential("password cannot be empty") }
            return UsernamePasswordProvider(client: client, clientID: options.clientID, scope: userScope,
                                            username: options.username, password: options.password,
                                            refresher: refresher, cacheKey: key(user: options.username))

        case .workloadIdentity:
            if let requestToken = environment.variables[EnvironmentVariable.actionsIDTokenRequestToken],
               let requestURL = environment.variables[EnvironmentVariable.actionsIDTokenRequestURL] {
                try requireClientAndTenant()
                return GitHubActionsWorkloadIdentityProvider(client: client, clientID: options.clientID, scope: resource,
                                                             requestToken: requestToken, requestURL: requestURL)
            }
            try requireClientAndTenant()
            guard !options.federatedTokenFile.isEmpty else { throw KubeLoginError.credential("federated token file cannot be empty") }
            return WorkloadIdentityProvider(client: client, clientID: options.clientID, scope: resource,
                                            federatedTokenFile: options.federatedTokenFile, cacheKey: key())

        case .azureCLI:
            return AzureCLIProvider(serverID: options.serverID, tenantID: options.tenantID, subscription: options.subscription,
                                    environment: environment.variables, runner: environment.commandRunner, now: environment.now)

        case .azureDeveloperCLI:
            return AzureDeveloperCLIProvider(scope: resource, tenantID: options.tenantID, environment: environment.variables,
                                             runner: environment.commandRunner)

        case .managedIdentity:
            throw unsupported("--login msi (managed identity: IMDS and the App Service/Arc identity endpoints)")

        case .azurePipelines:
            throw unsupported("--login azurepipelines (Azure Pipelines service connections)")
        }
    }

    private static func unsupported(_ feature: String) -> KubeLoginError {
        KubeLoginError("\(feature) is not supported by this build of kubelogin (kubeid); it supports devicecode, interactive, spn, ropc, workloadidentity, azurecli and azd")
    }
}
