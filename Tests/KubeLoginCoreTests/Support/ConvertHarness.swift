import Foundation
@testable import KubeLoginCLI
@testable import KubeLoginCore
import KubernetesTypes

/// Runs `kubelogin convert-kubeconfig` in-process against files in a temporary directory.
struct ConvertHarness {
    static let serverID = "6dae42f8-4368-4678-94ff-3960e28e3630"
    static let clientID = "80faf920-1908-4b52-b5ef-a8e7bedfc67a"
    static let tenantID = "72f988bf-86f1-41af-91ab-2d7cd011db47"

    /// Two clusters; an Entra auth-provider user, a kubelogin exec user and a token user.
    static let baseKubeconfig = """
    apiVersion: v1
    kind: Config
    clusters:
    - name: aks-one
      cluster:
        server: https://aks-one.example:443
        certificate-authority-data: TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0Q2c9PQ==
    - name: aks-two
      cluster:
        server: https://aks-two.example:443
    contexts:
    - name: ctx-azure
      context: {cluster: aks-one, user: azure-user}
    - name: ctx-exec
      context: {cluster: aks-two, user: exec-user, namespace: dev}
    - name: ctx-nouser
      context: {cluster: aks-two}
    current-context: ctx-azure
    users:
    - name: azure-user
      user:
        auth-provider:
          name: azure
          config:
            apiserver-id: \(serverID)
            client-id: \(clientID)
            tenant-id: \(tenantID)
            environment: AzurePublicCloud
            config-mode: "1"
    - name: exec-user
      user:
        exec:
          apiVersion: client.authentication.k8s.io/v1beta1
          command: /usr/local/bin/kubelogin
          args: [get-token, --login, devicecode, --server-id, server-two, --client-id, client-two, --tenant-id, tenant-two, --environment, AzureChinaCloud, --cache-dir, /var/cache/kl]
          installHint: install it
    - name: token-user
      user:
        token: static-token
    """

    let directory = TemporaryDirectory.make("convert")

    func cleanup() { try? FileManager.default.removeItem(atPath: directory) }

    @discardableResult
    func file(_ name: String, _ text: String) -> String {
        let path = directory + "/" + name
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func read(_ name: String) -> String? { try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) }

    /// Runs with `--kubeconfig <dir>/config` unless `explicitKubeconfig` is false.
    func run(_ arguments: [String], environment: [String: String] = [:], explicitKubeconfig: Bool = true) async -> (status: Int32, stderr: String) {
        let args = ["convert-kubeconfig"] + (explicitKubeconfig ? ["--kubeconfig", directory + "/config"] : []) + arguments
        let stdout = CapturedText()
        let stderr = CapturedText()
        let variables = ProcessEnvironment(environment.merging(["HOME": directory + "/home"]) { current, _ in current })
        let context = CommandContext(environment: variables, normalizer: ArgumentNormalizer(args), standardOutput: stdout,
                                     standardError: stderr) { _ in fatalError("convert never builds a plugin environment") }
        let status = await KubeLoginMain.run(args, context: context)
        return (status, stderr.text)
    }

    /// The exec args written for `user` in file `name`.
    func args(of user: String, in name: String = "config") throws -> [String]? {
        guard let text = read(name) else { return nil }
        return try KubeconfigYAMLReader.read(text).user(named: user)?.exec?.args
    }
}
