import Foundation
import Testing
@testable import KubeLoginCore
import KubernetesTypes

/// convert-kubeconfig against upstream's rules: every mode, where each value comes from, the
/// precedence of flags, auth-provider config, old exec args and environment, the errors, and
/// client-go's write-back rules. Arguments are compared as exact ordered lists; whole files
/// byte for byte.
@Suite("convert-kubeconfig")
struct ConvertKubeconfigTests {
    typealias H = ConvertHarness
    static let s = H.serverID
    static let c = H.clientID
    static let t = H.tenantID
    static let exec2 = ["--server-id", "server-two", "--cache-dir", "/var/cache/kl"]

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var environment: [String: String] = [:]
        var user: String
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "devicecode (default) from the azure auth-provider", arguments: [], user: "azure-user",
             expected: ["get-token", "--login", "devicecode", "--server-id", s, "--client-id", c, "--tenant-id", t, "--environment", "AzurePublicCloud"]),
        Case(name: "devicecode from old exec args (cache dir kept)", arguments: [], user: "exec-user",
             expected: ["get-token", "--login", "devicecode"] + exec2 + ["--client-id", "client-two", "--tenant-id", "tenant-two", "--environment", "AzureChinaCloud"]),
        Case(name: "spn with secret", arguments: ["-l", "spn", "--client-secret", "sec"], user: "azure-user",
             expected: ["get-token", "--login", "spn", "--server-id", s, "--client-id", c, "--tenant-id", t, "--environment", "AzurePublicCloud", "--client-secret", "sec"]),
        Case(name: "spn with certificate, password and disable-environment-override",
             arguments: ["--login=spn", "--client-certificate", "/c.pfx", "--client-certificate-password", "pw", "--disable-environment-override"],
             user: "exec-user",
             expected: ["get-token", "--login", "spn"] + exec2 + ["--client-id", "client-two", "--tenant-id", "tenant-two", "--environment", "AzureChinaCloud",
                        "--client-certificate", "/c.pfx", "--client-certificate-password", "pw", "--disable-environment-override"]),
        Case(name: "ropc with username and password", arguments: ["-l", "ropc", "--username", "u@x", "--password", "p"], user: "azure-user",
             expected: ["get-token", "--login", "ropc", "--server-id", s, "--client-id", c, "--tenant-id", t, "--environment", "AzurePublicCloud", "--username", "u@x", "--password", "p"]),
        Case(name: "interactive with redirect url and login hint", arguments: ["-l", "interactive", "--redirect-url", "http://localhost:8400", "--login-hint", "a@b"],
             user: "azure-user",
             expected: ["get-token", "--login", "interactive", "--server-id", s, "--client-id", c, "--tenant-id", t, "--environment", "AzurePublicCloud",
                        "--redirect-url", "http://localhost:8400", "--login-hint", "a@b"]),
        Case(name: "interactive with PoP", arguments: ["-l", "interactive", "--pop-enabled", "--pop-claims", "u=/arm/id"], user: "azure-user",
             expected: ["get-token", "--login", "interactive", "--server-id", s, "--client-id", c, "--tenant-id", t, "--environment", "AzurePublicCloud",
                        "--pop-enabled", "--pop-claims", "u=/arm/id"]),
        Case(name: "msi with client id", arguments: ["-l", "msi", "--client-id", "mi"], user: "azure-user",
             expected: ["get-token", "--login", "msi", "--server-id", s, "--client-id", "mi"]),
        Case(name: "msi with identity resource id", arguments: ["-l", "msi", "--identity-resource-id", "/rid"], user: "azure-user",
             expected: ["get-token", "--login", "msi", "--server-id", s, "--identity-resource-id", "/rid"]),
        Case(name: "azurecli drops the kubeconfig tenant", arguments: ["-l", "azurecli"], user: "azure-user",
             expected: ["get-token", "--login", "azurecli", "--server-id", s]),
        Case(name: "azurecli with tenant and subscription flags", arguments: ["-l", "azurecli", "-t", "flag-tenant", "-s", "sub"], user: "exec-user",
             expected: ["get-token", "--login", "azurecli"] + exec2 + ["--tenant-id", "flag-tenant", "--subscription", "sub"]),
        Case(name: "azd", arguments: ["-l", "azd"], user: "azure-user", expected: ["get-token", "--login", "azd", "--server-id", s]),
        Case(name: "workloadidentity writes flags only",
             arguments: ["-l", "workloadidentity", "--client-id", "wi", "--authority-host", "https://idp.example/", "--federated-token-file", "/t"],
             user: "azure-user",
             expected: ["get-token", "--login", "workloadidentity", "--server-id", s, "--client-id", "wi", "--authority-host", "https://idp.example/", "--federated-token-file", "/t"]),
        Case(name: "azurepipelines needs the tenant; never writes client id",
             arguments: ["-l", "azurepipelines", "--client-id", "x", "--azure-pipelines-service-connection-id", "sc"], user: "azure-user",
             expected: ["get-token", "--login", "azurepipelines", "--server-id", s, "--tenant-id", t, "--azure-pipelines-service-connection-id", "sc"]),
        Case(name: "a typed flag beats the auth-provider config", arguments: ["--client-id", "flag-client", "--server-id", "flag-server", "-e", "AzureUSGovernment"],
             user: "azure-user",
             expected: ["get-token", "--login", "devicecode", "--server-id", "flag-server", "--client-id", "flag-client", "--tenant-id", t, "--environment", "AzureUSGovernment"]),
        Case(name: "an env var only matters when its flag was typed", arguments: [], environment: ["AZURE_CLIENT_ID": "env-client", "AZURE_TENANT_ID": "env-tenant"],
             user: "azure-user",
             expected: ["get-token", "--login", "devicecode", "--server-id", s, "--client-id", c, "--tenant-id", t, "--environment", "AzurePublicCloud"]),
        Case(name: "an env var overrides a typed flag", arguments: ["--client-id", "flag-client"], environment: ["AZURE_CLIENT_ID": "env-client"],
             user: "azure-user",
             expected: ["get-token", "--login", "devicecode", "--server-id", s, "--client-id", "env-client", "--tenant-id", t, "--environment", "AzurePublicCloud"]),
        Case(name: "AAD_LOGIN_METHOD overrides --login", arguments: ["-l", "devicecode"], environment: ["AAD_LOGIN_METHOD": "azd"], user: "azure-user",
             expected: ["get-token", "--login", "azd", "--server-id", s]),
        Case(name: "--disable-environment-override ignores every variable", arguments: ["--client-id", "flag-client", "--disable-environment-override"],
             environment: ["AZURE_CLIENT_ID": "env-client", "AAD_LOGIN_METHOD": "azd"], user: "azure-user",
             expected: ["get-token", "--login", "devicecode", "--server-id", s, "--client-id", "flag-client", "--tenant-id", t, "--environment", "AzurePublicCloud"]),
        Case(name: "--legacy typed", arguments: ["--legacy"], user: "exec-user",
             expected: ["get-token", "--login", "devicecode"] + exec2 + ["--client-id", "client-two", "--tenant-id", "tenant-two", "--environment", "AzureChinaCloud", "--legacy"]),
        Case(name: "--token-cache-dir is written as --cache-dir", arguments: ["--token-cache-dir", "/tc"], user: "azure-user",
             expected: ["get-token", "--login", "devicecode", "--server-id", s, "--cache-dir", "/tc", "--client-id", c, "--tenant-id", t, "--environment", "AzurePublicCloud"]),
        Case(name: "the last of --cache-dir/--token-cache-dir wins", arguments: ["--token-cache-dir", "/first", "--cache-dir", "/second"], user: "azure-user",
             expected: ["get-token", "--login", "devicecode", "--server-id", s, "--cache-dir", "/second", "--client-id", c, "--tenant-id", t, "--environment", "AzurePublicCloud"]),
        Case(name: "kubeid extension: --authority-host and --disable-instance-discovery from flags", arguments: ["--authority-host", "https://127.0.0.1:8443/", "--disable-instance-discovery"],
             user: "azure-user",
             expected: ["get-token", "--login", "devicecode", "--server-id", s, "--client-id", c, "--tenant-id", t, "--environment", "AzurePublicCloud",
                        "--authority-host", "https://127.0.0.1:8443/", "--disable-instance-discovery"]),
    ]

    @Test("arguments written per mode and per source", arguments: cases)
    func writtenArguments(_ testCase: Case) async throws {
        let harness = H()
        defer { harness.cleanup() }
        harness.file("config", H.baseKubeconfig)
        let result = await harness.run(testCase.arguments, environment: testCase.environment)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try harness.args(of: testCase.user) == testCase.expected)
    }

    struct Failure: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var kubeconfig: String = ConvertHarness.baseKubeconfig
        var message: String
        var testDescription: String { message }
    }

    static let failures: [Failure] = [
        Failure(arguments: ["-l", "bogus"], message: "'bogus' is not a supported login method. Supported method is one of devicecode, interactive, spn, ropc, msi, azurecli, azd, workloadidentity, azurepipelines"),
        Failure(arguments: ["--authority-host", "https://idp.example"], message: #"authority host "https://idp.example" should have a trailing slash"#),
        Failure(arguments: ["--pop-enabled"], message: "if enabling pop token mode, please provide the pop-claims flag containing the PoP token claims as a comma-separated string: `u=popClaimHost,key1=val1`"),
        Failure(arguments: ["--pop-claims", "u=x"], message: "pop-enabled flag is required to use the PoP token feature. Please provide both pop-enabled and pop-claims flags"),
        Failure(arguments: ["--timeout", "0s"], message: "timeout must be greater than 0"),
        Failure(arguments: ["--context", "nope"], message: #"no context exists with the name: "nope""#),
        Failure(arguments: [], kubeconfig: """
            users:
            - name: u
              user: {auth-provider: {name: azure, config: {client-id: c, tenant-id: t}}}
            """, message: "--server-id is required"),
        Failure(arguments: ["-l", "spn"], kubeconfig: """
            users:
            - name: u
              user: {exec: {command: kubelogin, args: [get-token, --server-id, s, --tenant-id, t]}}
            """, message: "--client-id is required"),
        Failure(arguments: ["-l", "ropc"], kubeconfig: """
            users:
            - name: u
              user: {exec: {command: kubelogin, args: [get-token, --server-id, s, --client-id, c]}}
            """, message: "--tenant-id is required"),
        Failure(arguments: ["-l", "interactive"], kubeconfig: """
            users:
            - name: u
              user: {exec: {command: kubelogin, args: [get-token, --server-id, s, --client-id, c, --tenant-id, t, --pop-enabled]}}
            """, message: "--pop-claims is required when specifying --pop-enabled"),
        Failure(arguments: ["-l", "azurepipelines"], kubeconfig: """
            users:
            - name: u
              user: {exec: {command: kubelogin, args: [get-token, --server-id, s]}}
            """, message: "--tenant-id is required"),
    ]

    @Test("errors: upstream's message, exit 1, nothing written", arguments: failures)
    func errors(_ failure: Failure) async throws {
        let harness = H()
        defer { harness.cleanup() }
        harness.file("config", failure.kubeconfig)
        let result = await harness.run(failure.arguments)
        #expect(result.status == 1)
        #expect(result.stderr == "Error: \(failure.message)\n")
        #expect(harness.read("config") == failure.kubeconfig)
    }

    @Test("a missing --kubeconfig file")
    func missingExplicitFile() async {
        let harness = H()
        defer { harness.cleanup() }
        let result = await harness.run([])
        #expect(result.stderr == "Error: unable to load kubeconfig: stat \(harness.directory)/config: no such file or directory\n")
    }

    @Test("the whole file is rewritten as client-go writes it (byte for byte)")
    func fullFile() async throws {
        let harness = H()
        defer { harness.cleanup() }
        harness.file("config", H.baseKubeconfig)
        let result = await harness.run([])
        #expect(result.status == 0)
        #expect(harness.read("config") == """
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2c9PQ==
            server: https://aks-one.example:443
          name: aks-one
        - cluster:
            server: https://aks-two.example:443
          name: aks-two
        contexts:
        - context:
            cluster: aks-one
            user: azure-user
          name: ctx-azure
        - context:
            cluster: aks-two
            namespace: dev
            user: exec-user
          name: ctx-exec
        - context:
            cluster: aks-two
            user: ""
          name: ctx-nouser
        current-context: ctx-azure
        kind: Config
        preferences: {}
        users:
        - name: azure-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              args:
              - get-token
              - --login
              - devicecode
              - --server-id
              - 6dae42f8-4368-4678-94ff-3960e28e3630
              - --client-id
              - 80faf920-1908-4b52-b5ef-a8e7bedfc67a
              - --tenant-id
              - 72f988bf-86f1-41af-91ab-2d7cd011db47
              - --environment
              - AzurePublicCloud
              command: kubelogin
              env: null
              installHint: |2

                kubelogin is not installed which is required to connect to AAD enabled cluster.

                To learn more, please go to https://azure.github.io/kubelogin/
              provideClusterInfo: false
        - name: exec-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              args:
              - get-token
              - --login
              - devicecode
              - --server-id
              - server-two
              - --cache-dir
              - /var/cache/kl
              - --client-id
              - client-two
              - --tenant-id
              - tenant-two
              - --environment
              - AzureChinaCloud
              command: kubelogin
              env: null
              installHint: install it
              provideClusterInfo: false
        - name: token-user
          user:
            token: static-token

        """)
    }

    @Test("--context converts only that context's user; a context without a user converts all")
    func contextFilter() async throws {
        let harness = H()
        defer { harness.cleanup() }
        harness.file("config", H.baseKubeconfig)
        #expect(await harness.run(["--context", "ctx-exec", "-l", "azd"]).status == 0)
        #expect(try harness.args(of: "exec-user") == ["get-token", "--login", "azd"] + Self.exec2)
        let config = try KubeconfigYAMLReader.read(harness.read("config") ?? "")
        #expect(config.user(named: "azure-user")?.authProvider?.name == "azure")
        #expect(await harness.run(["--context", "ctx-nouser", "-l", "azd"]).status == 0)
        #expect(try harness.args(of: "azure-user") == ["get-token", "--login", "azd", "--server-id", Self.s])
    }

    @Test("legacy comes from config-mode: absent, empty or 0 mean legacy")
    func legacyConfigMode() async throws {
        for (mode, legacy) in [("", true), ("\"0\"", true), ("\"1\"", false), (nil, true)] as [(String?, Bool)] {
            let harness = H()
            defer { harness.cleanup() }
            let modeLine = mode.map { "\n        config-mode: \($0)" } ?? ""
            harness.file("config", """
            users:
            - name: u
              user:
                auth-provider:
                  name: azure
                  config:
                    apiserver-id: s
                    client-id: c
                    tenant-id: t\(modeLine)
            """)
            #expect(await harness.run(["--legacy=false"]).status == 0)
            #expect(try harness.args(of: "u")?.contains("--legacy") == legacy, "config-mode \(mode ?? "absent")")
        }
    }

    @Test("kubeid extension: authority host and instance discovery carried from the old exec args, after the mode's own")
    func carriedAuthority() async throws {
        let harness = H()
        defer { harness.cleanup() }
        harness.file("config", """
        users:
        - name: kubeid
          user:
            exec:
              command: kubelogin
              args: [get-token, --login, spn, --server-id, s, --client-id, c, --tenant-id, t, --authority-host, "https://127.0.0.1:8443/", --disable-instance-discovery]
        """)
        #expect(await harness.run(["-l", "spn", "--client-secret", "x"]).status == 0)
        #expect(try harness.args(of: "kubeid") == ["get-token", "--login", "spn", "--server-id", "s", "--client-id", "c", "--tenant-id", "t",
                                                   "--client-secret", "x", "--authority-host", "https://127.0.0.1:8443/", "--disable-instance-discovery"])
        #expect(await harness.run(["-l", "devicecode", "--disable-instance-discovery=false"]).status == 0)
        #expect(try harness.args(of: "kubeid") == ["get-token", "--login", "devicecode", "--server-id", "s", "--client-id", "c", "--tenant-id", "t",
                                                   "--authority-host", "https://127.0.0.1:8443/"])
    }

    @Test("azurecli with --azure-config-dir writes env")
    func azureConfigDir() async throws {
        let harness = H()
        defer { harness.cleanup() }
        harness.file("config", H.baseKubeconfig)
        #expect(await harness.run(["-l", "azurecli", "--azure-config-dir", "/az"]).status == 0)
        let user = try KubeconfigYAMLReader.read(harness.read("config") ?? "").user(named: "azure-user")
        #expect(user?.exec?.env == [KubeconfigExecEnvVar(name: "AZURE_CONFIG_DIR", value: "/az")])
        #expect(user?.exec?.installHint == KubeconfigConverter.defaultInstallHint)
    }

    @Test("KUBECONFIG lists: each user goes back to its own file; untouched files are not written")
    func kubeconfigList() async throws {
        let harness = H()
        defer { harness.cleanup() }
        let first = harness.file("first", """
        users:
        - name: a
          user: {auth-provider: {name: azure, config: {apiserver-id: s, client-id: c, tenant-id: t, config-mode: "1"}}}
        """)
        let untouched = "users:\n- name: plain\n  user: {token: x}\n"
        let second = harness.file("second", untouched)
        let third = harness.file("third", """
        users:
        - name: a
          user: {token: shadowed}
        - name: b
          user: {exec: {command: kubelogin.exe, args: [get-token, --server-id, s2, --client-id, c2, --tenant-id, t2]}}
        """)
        let result = await harness.run(["-l", "azd"], environment: ["KUBECONFIG": [first, second, "\(harness.directory)/missing", third].joined(separator: ":")],
                                       explicitKubeconfig: false)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try harness.args(of: "a", in: "first") == ["get-token", "--login", "azd", "--server-id", "s"])
        #expect(try harness.args(of: "b", in: "third") == ["get-token", "--login", "azd", "--server-id", "s2"])
        #expect(try KubeconfigYAMLReader.read(harness.read("third") ?? "").user(named: "a")?.token == "shadowed")
        #expect(harness.read("second") == untouched)
        #expect(!FileManager.default.fileExists(atPath: harness.directory + "/missing"))
    }

    @Test("no matching user: success, and no file is written or created")
    func nothingToConvert() async throws {
        let harness = H()
        defer { harness.cleanup() }
        let text = "users:\n- name: plain\n  user: {token: x}\n"
        harness.file("config", text)
        #expect(await harness.run([]).status == 0)
        #expect(harness.read("config") == text)
        #expect(await harness.run([], explicitKubeconfig: false).status == 0)
        #expect(!FileManager.default.fileExists(atPath: harness.directory + "/home/.kube/config"))
    }

    @Test("all or nothing: one bad user stops the run before anything is written")
    func allOrNothing() async throws {
        let harness = H()
        defer { harness.cleanup() }
        let text = """
        users:
        - name: a-good
          user: {auth-provider: {name: azure, config: {apiserver-id: s, client-id: c, tenant-id: t}}}
        - name: b-bad
          user: {exec: {command: kubelogin, args: [get-token, --client-id, c]}}
        """
        harness.file("config", text)
        let result = await harness.run([])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: --server-id is required\n")
        #expect(harness.read("config") == text)
    }

    @Test("flags in --flag=value form and short flags parse as pflag does")
    func pflagSyntax() async throws {
        let harness = H()
        defer { harness.cleanup() }
        harness.file("config", H.baseKubeconfig)
        #expect(await harness.run(["--login=spn", "-t", "tt", "--client-secret=a=b", "--pop-enabled=false"]).status == 0)
        #expect(try harness.args(of: "azure-user") == ["get-token", "--login", "spn", "--server-id", Self.s, "--client-id", Self.c, "--tenant-id", "tt",
                                                       "--environment", "AzurePublicCloud", "--client-secret", "a=b"])
    }

    @Test("a value that starts with a dash is the flag's value, as pflag takes it")
    func dashLeadingValues() async throws {
        let harness = H()
        defer { harness.cleanup() }
        harness.file("config", H.baseKubeconfig)
        let result = await harness.run(["-l", "spn", "--client-secret", "-Ab8Q~x-y", "-t", "--legacy", "--context", "ctx-azure"])
        #expect(result.status == 0, "\(result.stderr)")
        // `--legacy` was the tenant's value, not the flag: the user stays non-legacy.
        #expect(try harness.args(of: "azure-user") == ["get-token", "--login", "spn", "--server-id", Self.s, "--client-id", Self.c, "--tenant-id", "--legacy",
                                                       "--environment", "AzurePublicCloud", "--client-secret", "-Ab8Q~x-y"])
    }
}
