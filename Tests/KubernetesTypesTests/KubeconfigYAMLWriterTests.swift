import Testing
@testable import KubernetesTypes

@Suite("Kubeconfig YAML, as client-go writes it")
struct KubeconfigYAMLWriterTests {
    static let installHint = "\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://azure.github.io/kubelogin/\n"

    @Test("an empty config is written the way `kubectl config view` prints it")
    func emptyConfig() {
        #expect(KubeconfigYAMLWriter.yaml(for: Kubeconfig()) == """
        apiVersion: v1
        clusters: null
        contexts: null
        current-context: ""
        kind: Config
        preferences: {}
        users: null

        """)
    }

    @Test("an exec user: sorted keys, env null, literal install hint with indentation indicator")
    func execUser() {
        var config = Kubeconfig(
            clusters: [NamedCluster(name: "aks", cluster: KubeconfigCluster(server: "https://aks.example:443", certificateAuthorityData: "TFMwdA=="))],
            contexts: [NamedContext(name: "aks", context: KubeconfigContext(cluster: "aks", user: "clusterUser"))],
            currentContext: "aks")
        config.setUser(KubeconfigUser(exec: KubeconfigExec(
            command: "kubelogin", args: ["get-token", "--login", "devicecode", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"],
            env: nil, apiVersion: "client.authentication.k8s.io/v1beta1", installHint: Self.installHint)), named: "clusterUser")
        #expect(KubeconfigYAMLWriter.yaml(for: config) == """
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: TFMwdA==
            server: https://aks.example:443
          name: aks
        contexts:
        - context:
            cluster: aks
            user: clusterUser
          name: aks
        current-context: aks
        kind: Config
        preferences: {}
        users:
        - name: clusterUser
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              args:
              - get-token
              - --login
              - devicecode
              - --server-id
              - 6dae42f8-4368-4678-94ff-3960e28e3630
              command: kubelogin
              env: null
              installHint: |2

                kubelogin is not installed which is required to connect to AAD enabled cluster.

                To learn more, please go to https://azure.github.io/kubelogin/
              provideClusterInfo: false

        """)
    }

    @Test("strings that would read back as another type are double-quoted", arguments: [
        ("true", "\"true\""), ("yes", "\"yes\""), ("10", "\"10\""), ("1.5", "\"1.5\""), ("", "\"\""),
        ("2020-01-02", "\"2020-01-02\""), ("1:20", "\"1:20\""), ("0x1F", "\"0x1F\""), ("null", "\"null\""),
        ("a: b", "'a: b'"), ("plain", "plain"), ("- x", "'- x'"), ("1.2.3", "1.2.3"),
    ])
    func quoting(text: String, expected: String) {
        let yaml = KubeconfigYAMLWriter.emit(.mapping([KubeconfigMember("k", .string(text))]))
        #expect(yaml == "k: \(expected)\n")
    }

    @Test("keys follow go-yaml v2's natural order")
    func naturalOrder() {
        let keys = ["b10", "b9", "B", "a", "_x", "c-d", "cd"]
        let sorted = keys.sorted(by: GoYAMLKeyOrder.areInIncreasingOrder)
        #expect(sorted == ["_x", "B", "a", "b9", "b10", "c-d", "cd"])
    }

    @Test("reading then writing is stable and keeps unknown-free content")
    func roundTrip() throws {
        let text = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: z
          cluster: {server: "https://z", insecure-skip-tls-verify: true}
        - name: a
          cluster:
            server: https://a
            certificate-authority: ca.crt
        users:
        - name: u
          user:
            auth-provider:
              name: azure
              config: {tenant-id: t, apiserver-id: s, client-id: c, config-mode: "1"}
        - name: e
          user:
            exec:
              command: foo
              apiVersion: client.authentication.k8s.io/v1beta1
        current-context: ""
        """
        let config = try KubeconfigYAMLReader.read(text)
        #expect(config.clusters.map(\.name) == ["a", "z"])
        #expect(config.user(named: "e")?.exec?.interactiveMode == "IfAvailable")
        let written = KubeconfigYAMLWriter.yaml(for: config)
        #expect(try KubeconfigYAMLReader.read(written) == config)
        #expect(written.contains("      config:\n        apiserver-id: s\n        client-id: c\n        config-mode: \"1\"\n"))
    }
}
