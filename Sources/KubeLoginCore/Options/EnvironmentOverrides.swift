/// Upstream's `UpdateFromEnv`: environment variables applied **after** the flags, so a set
/// variable wins over the flag (even over a value baked into kubeconfig exec args). A variable
/// that is set but empty still overrides. Later steps win over earlier ones.
public enum EnvironmentOverrides {
    public static func apply(to options: TokenOptions, environment: ProcessEnvironment) -> TokenOptions {
        var options = options
        // 2. `--disable-environment-override` turns every variable off, even AAD_LOGIN_METHOD.
        guard !options.disableEnvironmentOverride else { return options }
        func set(_ keyPath: WritableKeyPath<TokenOptions, String>, from names: String...) {
            for name in names {
                if let value = environment[name] { options[keyPath: keyPath] = value }
            }
        }
        // 3. Service-principal variables, whatever the login mode.
        if options.useAzureRMEnvVars {
            set(\.clientID, from: EnvironmentVariable.armClientID)
            set(\.clientSecret, from: EnvironmentVariable.armClientSecret)
            set(\.clientCertificate, from: EnvironmentVariable.armClientCertificatePath)
            set(\.clientCertificatePassword, from: EnvironmentVariable.armClientCertificatePassword)
            set(\.tenantID, from: EnvironmentVariable.armTenantID)
        } else {
            set(\.clientID, from: EnvironmentVariable.servicePrincipalClientID, EnvironmentVariable.azureClientID)
            set(\.clientSecret, from: EnvironmentVariable.servicePrincipalClientSecret, EnvironmentVariable.azureClientSecret)
            set(\.clientCertificate, from: EnvironmentVariable.servicePrincipalClientCertificate,
                EnvironmentVariable.azureClientCertificatePath)
            set(\.clientCertificatePassword, from: EnvironmentVariable.servicePrincipalClientCertificatePassword,
                EnvironmentVariable.azureClientCertificatePassword)
            set(\.tenantID, from: EnvironmentVariable.azureTenantID)
        }
        // 4. User credentials and the login method, always.
        set(\.username, from: EnvironmentVariable.userPrincipalName, EnvironmentVariable.azureUsername)
        set(\.password, from: EnvironmentVariable.userPrincipalPassword, EnvironmentVariable.azurePassword)
        set(\.loginMethod, from: EnvironmentVariable.loginMethod)
        // 5. The workload-identity webhook's variables, for that mode only.
        if options.loginMethod == LoginMode.workloadIdentity.rawValue {
            set(\.clientID, from: EnvironmentVariable.azureClientID)
            set(\.federatedTokenFile, from: EnvironmentVariable.azureFederatedTokenFile)
            set(\.authorityHost, from: EnvironmentVariable.azureAuthorityHost)
        }
        // 6. Azure Pipelines fills only what is still empty: flags win here, unlike everywhere else.
        if options.loginMethod == LoginMode.azurePipelines.rawValue {
            func fill(_ keyPath: WritableKeyPath<TokenOptions, String>, from name: String) {
                if options[keyPath: keyPath].isEmpty, let value = environment[name] { options[keyPath: keyPath] = value }
            }
            fill(\.clientID, from: EnvironmentVariable.azureSubscriptionClientID)
            fill(\.tenantID, from: EnvironmentVariable.azureSubscriptionTenantID)
            fill(\.azurePipelinesServiceConnectionID, from: EnvironmentVariable.azureSubscriptionServiceConnectionID)
        }
        // 7. A Go duration; ignored when it does not parse.
        if let text = environment[EnvironmentVariable.azureCLITimeout], let timeout = GoDuration.parse(text) {
            options.timeout = timeout
        }
        return options
    }
}
