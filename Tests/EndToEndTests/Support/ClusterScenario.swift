import Foundation
import IdentityTesting
import KubernetesTypes

/// The AKS side of the seed, with real processes: a `kubeid serve`, a cluster registered with
/// `kubeid cluster create`, a kube-apiserver stand-in in webhook mode configured from the files
/// `kubeid cluster apiserver-config` wrote (client CA, TokenReview and SubjectAccessReview
/// webhook kubeconfigs), and kubeconfigs from `kubeid cluster get-credentials` in a private HOME,
/// used by the real kubectl running our kubelogin.
final class ClusterScenario: @unchecked Sendable {
    let directory: String
    let issuer: KubeIDServer
    let tenantID: String
    let adminGroupID: String
    let apiServerPort: Int
    let configDirectory: String
    private(set) var apiServer: KubeAPIServerWebhookStandIn

    var home: String { directory + "/home" }
    var kubeconfig: String { home + "/.kube/config" }
    var clusterID: String { "/tenants/\(tenantID)/clusters/dev" }

    /// kubectl and kubelogin: our build first on PATH, a private HOME (kubeconfig and token
    /// cache), kubeid's CA trusted through SSL_CERT_FILE.
    var childEnvironment: [String: String] {
        ["PATH": EndToEndBinaries.buildDirectory + ":/usr/local/bin:/usr/bin:/bin", "HOME": home,
         "SSL_CERT_FILE": issuer.certificateAuthorityFile]
    }

    private init(directory: String, issuer: KubeIDServer, tenantID: String, adminGroupID: String, apiServerPort: Int,
                 configDirectory: String, apiServer: KubeAPIServerWebhookStandIn) {
        self.directory = directory
        self.issuer = issuer
        self.tenantID = tenantID
        self.adminGroupID = adminGroupID
        self.apiServerPort = apiServerPort
        self.configDirectory = configDirectory
        self.apiServer = apiServer
    }

    /// The seed's first steps: a tenant, a group, a cluster with that group as admin group and
    /// Azure RBAC on, and its API server wired to kubeid.
    static func make() async throws -> ClusterScenario {
        let directory = NSTemporaryDirectory() + "kubeid-e2e-cluster-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
        let issuer = try await KubeIDServer.start(in: directory)
        do {
            let tenantID = try string(try await issuer.admin(["tenant", "create", "--name", "e2e"]), "id")
            let group = try await issuer.admin(["group", "create", "--tenant", "e2e", "--display-name", "aks-admins"])
            let adminGroupID = try string(group, "id")
            let port = try FreePort.pick()
            _ = try await issuer.admin(["cluster", "create", "--tenant", "e2e", "--name", "dev", "--server", "https://127.0.0.1:\(port)",
                                        "--enable-aad", "--aad-admin-group-object-ids", adminGroupID, "--enable-azure-rbac"])
            let configDirectory = directory + "/apiserver"
            _ = try await issuer.admin(["cluster", "apiserver-config", "--name", "dev", "--dir", configDirectory,
                                        "--issuer-url", issuer.issuerURL])
            let apiServer = try await startAPIServer(configDirectory: configDirectory, port: port)
            let scenario = ClusterScenario(directory: directory, issuer: issuer, tenantID: tenantID, adminGroupID: adminGroupID,
                                           apiServerPort: port, configDirectory: configDirectory, apiServer: apiServer)
            try scenario.apiServer.certificateAuthorityPEM.write(toFile: directory + "/apiserver-ca.crt", atomically: true, encoding: .utf8)
            _ = try await issuer.admin(["cluster", "update", "--name", "dev", "--certificate-authority", directory + "/apiserver-ca.crt"])
            return scenario
        } catch {
            issuer.stop()
            throw error
        }
    }

    /// kube-apiserver as `flags.txt` configures it: the client CA file and the two webhook kubeconfigs.
    static func startAPIServer(configDirectory: String, port: Int) async throws -> KubeAPIServerWebhookStandIn {
        func webhook(_ file: String) throws -> (KubeAPIServerWebhookClient.Endpoint, String?) {
            let config = try KubeconfigYAMLReader.read(try String(contentsOfFile: configDirectory + "/" + file, encoding: .utf8))
            guard let cluster = config.clusters.first?.cluster, let user = config.users.first?.user else {
                throw EndToEndError("\(file) has no cluster or user")
            }
            let ca = Data(base64Encoded: cluster.certificateAuthorityData).map { String(decoding: $0, as: UTF8.self) }
            return (KubeAPIServerWebhookClient.Endpoint(url: cluster.server, token: user.token), ca)
        }
        let (authentication, ca) = try webhook("authn-webhook.kubeconfig")
        let (authorization, _) = try webhook("authz-webhook.kubeconfig")
        let client = try KubeAPIServerWebhookClient(authentication: authentication, authorization: authorization,
                                                    certificateAuthorityPEM: ca)
        return try await KubeAPIServerWebhookStandIn.start(clientCAFile: configDirectory + "/client-ca.crt", webhooks: client, port: port)
    }

    /// Restarts the API server (after `apiserver-config` rewrote its files).
    func restartAPIServer() async throws {
        await apiServer.stop()
        apiServer = try await Self.startAPIServer(configDirectory: configDirectory, port: apiServerPort)
    }

    private static func string(_ object: [String: Any], _ key: String) throws -> String {
        guard let value = object[key] as? String else { throw EndToEndError("admin output lacks \(key): \(object)") }
        return value
    }

    /// Runs `kubeid` against the issuer's data directory (stdin from `input`).
    func kubeid(_ arguments: [String], input: String? = nil, environment extra: [String: String] = [:]) async throws -> ChildProcess.Result {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment.merge(extra) { _, new in new }
        let child = try StreamingChildProcess(EndToEndBinaries.kubeid, arguments + ["--data-dir", issuer.dataDirectory],
                                              environment: environment, input: input)
        return try await child.finish(timeout: .seconds(60))
    }

    func kubeidJSON(_ arguments: [String], input: String? = nil) async throws -> [String: Any] {
        let result = try await kubeid(arguments, input: input)
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] else {
            throw EndToEndError("kubeid \(arguments.joined(separator: " ")) failed: \(result.standardError)")
        }
        return object
    }

    /// A user with a password, optionally in groups; returns the object id.
    func createUser(_ upn: String, password: String, groups: [String] = []) async throws -> String {
        let user = try await kubeidJSON(["user", "create", "--tenant", "e2e", "--user-principal-name", upn,
                                         "--display-name", upn, "--password-stdin"], input: password + "\n")
        let id = try Self.string(user, "id")
        for group in groups {
            let added = try await kubeid(["group", "member", "add", "--tenant", "e2e", "--group", group, "--member-id", id])
            guard added.status == 0 else { throw EndToEndError("group member add: \(added.standardError)") }
        }
        return id
    }

    /// kubectl with the scenario's kubeconfig; when kubelogin asks for a device-code sign-in,
    /// the headless browser completes it as `signIn` (a UPN and password).
    func kubectl(_ arguments: [String], signIn: (username: String, password: String)? = nil,
                 kubeconfig path: String? = nil) async throws -> ChildProcess.Result {
        let child = try StreamingChildProcess(EndToEndBinaries.kubectl,
                                              ["--kubeconfig", path ?? kubeconfig, "--request-timeout", "60s"] + arguments,
                                              environment: childEnvironment)
        if let signIn {
            let prompt = try await child.waitForStandardError(timeout: .seconds(60)) { text -> (String, String)? in
                guard let url = text.firstMatch(of: /open the page (\S+)/)?.1,
                      let code = text.firstMatch(of: /enter the code ([A-Z0-9-]+)/)?.1 else { return nil }
                return (String(url), String(code))
            }
            if let (url, code) = prompt {
                try await BrowserDriver.approve(url: url, code: code, username: signIn.username, password: signIn.password,
                                                name: "e2e-\(signIn.username.split(separator: "@").first ?? "user")",
                                                workDirectory: directory)
            }
        }
        return try await child.finish(timeout: .seconds(180))
    }

    func tearDown() async {
        await apiServer.stop()
        issuer.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
