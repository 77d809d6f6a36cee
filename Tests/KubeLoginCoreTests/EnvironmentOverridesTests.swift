import Testing
@testable import KubeLoginCore

@Suite("environment overrides (docs/kubelogin.md)")
struct EnvironmentOverridesTests {
    func apply(_ variables: [String: String], _ configure: (inout TokenOptions) -> Void = { _ in }) -> TokenOptions {
        var options = TokenOptions(defaultCacheDir: "/c")
        options.clientID = "flag-client"
        options.tenantID = "flag-tenant"
        configure(&options)
        return EnvironmentOverrides.apply(to: options, environment: ProcessEnvironment(variables))
    }

    @Test("AZURE_* wins over AAD_*, and both win over the flag; empty still overrides")
    func servicePrincipalVariables() {
        let options = apply(["AAD_SERVICE_PRINCIPAL_CLIENT_ID": "aad", "AZURE_CLIENT_ID": "azure", "AZURE_TENANT_ID": "",
                             "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET": "s1", "AZURE_CLIENT_CERTIFICATE_PATH": "/p"])
        #expect(options.clientID == "azure")
        #expect(options.tenantID == "")
        #expect(options.clientSecret == "s1")
        #expect(options.clientCertificate == "/p")
    }

    @Test("--use-azurerm-env-vars reads ARM_* instead")
    func azureRM() {
        let options = apply(["ARM_CLIENT_ID": "arm", "AZURE_CLIENT_ID": "azure", "ARM_TENANT_ID": "arm-tenant"]) { $0.useAzureRMEnvVars = true }
        #expect(options.clientID == "arm")
        #expect(options.tenantID == "arm-tenant")
    }

    @Test("--disable-environment-override ignores everything, even AAD_LOGIN_METHOD and AZURE_CLI_TIMEOUT")
    func disabled() {
        let options = apply(["AZURE_CLIENT_ID": "azure", "AAD_LOGIN_METHOD": "spn", "AZURE_CLI_TIMEOUT": "5s"]) { $0.disableEnvironmentOverride = true }
        #expect(options.clientID == "flag-client")
        #expect(options.loginMethod == "devicecode")
        #expect(options.timeout == .seconds(60))
    }

    @Test("workload identity variables apply only to that mode, including one chosen by AAD_LOGIN_METHOD")
    func workloadIdentity() {
        let variables = ["AZURE_FEDERATED_TOKEN_FILE": "/t", "AZURE_AUTHORITY_HOST": "https://h/"]
        #expect(apply(variables).federatedTokenFile == "")
        let options = apply(variables.merging(["AAD_LOGIN_METHOD": "workloadidentity"]) { a, _ in a })
        #expect(options.federatedTokenFile == "/t")
        #expect(options.authorityHost == "https://h/")
    }

    @Test("azure pipelines variables only fill empty values")
    func pipelines() {
        let options = apply(["AZURESUBSCRIPTION_CLIENT_ID": "p-client", "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID": "sc"]) {
            $0.loginMethod = "azurepipelines"
        }
        #expect(options.clientID == "flag-client")
        #expect(options.azurePipelinesServiceConnectionID == "sc")
    }

    @Test("AZURE_CLI_TIMEOUT is a Go duration; garbage is ignored")
    func timeout() {
        #expect(apply(["AZURE_CLI_TIMEOUT": "1m30s"]).timeout == .seconds(90))
        #expect(apply(["AZURE_CLI_TIMEOUT": "soon"]).timeout == .seconds(60))
        #expect(GoDuration.parse("1.5h") == .seconds(5400))
        #expect(GoDuration.parse("500ms") == .milliseconds(500))
        #expect(GoDuration.format(.seconds(60)) == "1m0s")
    }

    @Test("default cache dir: KUBECACHEDIR as is, else ~/.kube/cache/kubelogin/")
    func cacheDirectory() {
        #expect(TokenOptions.defaultCacheDir(environment: ProcessEnvironment(["HOME": "/h"])) == "/h/.kube/cache/kubelogin/")
        #expect(TokenOptions.defaultCacheDir(environment: ProcessEnvironment(["HOME": "/h", "KUBECACHEDIR": "/k"])) == "/k")
    }

    @Test("authorities: clouds, --authority-host, scope")
    func authorities() {
        var options = TokenOptions(defaultCacheDir: "/c")
        options.tenantID = "t"
        options.environment = "azurechinacloud"
        #expect(Authority(options: options).url == "https://login.chinacloudapi.cn/t")
        options.environment = "AzureStackCloud"
        #expect(Authority(options: options).url == "https://login.microsoftonline.com/t")
        options.authorityHost = "https://127.0.0.1:8443/"
        options.disableInstanceDiscovery = true
        let authority = Authority(options: options)
        #expect(authority.tokenEndpoint == "https://127.0.0.1:8443/t/oauth2/v2.0/token")
        #expect(authority.instanceDiscoveryURL == nil)
        options.disableInstanceDiscovery = false
        #expect(Authority(options: options).instanceDiscoveryURL?.hasPrefix("https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=https%3A%2F%2F127.0.0.1%3A8443%2Ft%2F") == true)
        #expect(Scope.forServerID("api://x//") == "api://x/.default")
        #expect(Scope.forServerID("https://a.b/.default") == "https://a.b/.default")
    }
}
