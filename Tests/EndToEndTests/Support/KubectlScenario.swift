import Foundation
import IdentityTesting

/// One end-to-end world: a kubeid issuer with a tenant and two service principals (secret and
/// certificate), an API-server stand-in that trusts kubeid's JWKS for the AKS server app, and a
/// kubeconfig whose user is converted to run our kubelogin.
final class KubectlScenario: @unchecked Sendable {
    static let aksServerAppID = "6dae42f8-4368-4678-94ff-3960e28e3630"
    static let aksClientAppID = "80faf920-1908-4b52-b5ef-a8e7bedfc67a"

    let directory: String
    let issuer: KubeIDServer
    let apiServer: KubeAPIServerStandIn
    let authenticator: KubeAPIServerJWTAuthenticator
    let tenantID: String
    let secretClientID: String
    let clientSecret: String
    let certificateClientID: String
    let certificateFile: String

    var kubeconfig: String { directory + "/kubeconfig" }
    var cacheDirectory: String { directory + "/kubelogin-cache" }

    /// What kubectl and kubelogin run with: our build first on PATH, a private HOME, and the
    /// kubeid CA trusted through SSL_CERT_FILE.
    var childEnvironment: [String: String] {
        ["PATH": EndToEndBinaries.buildDirectory + ":/usr/local/bin:/usr/bin:/bin", "HOME": directory + "/home",
         "SSL_CERT_FILE": issuer.certificateAuthorityFile]
    }

    private init(directory: String, issuer: KubeIDServer, apiServer: KubeAPIServerStandIn, authenticator: KubeAPIServerJWTAuthenticator,
                 tenantID: String, secretClientID: String, clientSecret: String, certificateClientID: String, certificateFile: String) {
        self.directory = directory
        self.issuer = issuer
        self.apiServer = apiServer
        self.authenticator = authenticator
        self.tenantID = tenantID
        self.secretClientID = secretClientID
        self.clientSecret = clientSecret
        self.certificateClientID = certificateClientID
        self.certificateFile = certificateFile
    }

    static func make() async throws -> KubectlScenario {
        let directory = NSTemporaryDirectory() + "kubeid-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/certs", withIntermediateDirectories: true)
        let issuer = try await KubeIDServer.start(in: directory)
        do {
            let tenant = try await issuer.admin(["tenant", "create", "--name", "e2e"])
            let tenantID = try string(tenant, "id")
            let secretSP = try await issuer.admin(["sp", "create-for-rbac", "--tenant", tenantID, "--name", "e2e-secret"])
            let certificateSP = try await issuer.admin(["sp", "create-for-rbac", "--tenant", tenantID, "--name", "e2e-cert",
                                                        "--create-cert", "--cert-output-dir", directory + "/certs"])
            let discovered = try await KubeAPIServerJWKS.fetch(issuerBaseURL: issuer.issuerURL, tenantID: tenantID,
                                                               caFile: issuer.certificateAuthorityFile)
            let authenticator = KubeAPIServerJWTAuthenticator(keys: discovered.keys, issuer: discovered.issuer, audience: aksServerAppID)
            let apiServer = try await KubeAPIServerStandIn.start(authenticator: authenticator)
            return KubectlScenario(directory: directory, issuer: issuer, apiServer: apiServer, authenticator: authenticator,
                                   tenantID: tenantID, secretClientID: try string(secretSP, "appId"), clientSecret: try string(secretSP, "password"),
                                   certificateClientID: try string(certificateSP, "appId"),
                                   certificateFile: try string(certificateSP, "fileWithCertAndPrivateKey"))
        } catch {
            issuer.stop()
            throw error
        }
    }

    private static func string(_ object: [String: Any], _ key: String) throws -> String {
        guard let value = object[key] as? String else { throw EndToEndError("admin output lacks \(key): \(object)") }
        return value
    }

    /// A kubeconfig as AKS used to write it: a legacy `azure` auth-provider user.
    func writeLegacyKubeconfig(clientID: String) throws {
        let caData = Data(apiServer.certificateAuthorityPEM.utf8).base64EncodedString()
        try """
        apiVersion: v1
        kind: Config
        clusters:
        - name: standin
          cluster:
            server: \(apiServer.url)
            certificate-authority-data: \(caData)
        contexts:
        - name: standin
          context: {cluster: standin, user: aad-user}
        current-context: standin
        users:
        - name: aad-user
          user:
            auth-provider:
              name: azure
              config:
                apiserver-id: \(Self.aksServerAppID)
                client-id: \(clientID)
                tenant-id: \(tenantID)
                config-mode: "1"
        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    }

    func kubelogin(_ arguments: [String], extraEnvironment: [String: String] = [:]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(EndToEndBinaries.kubelogin, arguments,
                                   environment: childEnvironment.merging(extraEnvironment) { _, new in new }, timeout: .seconds(60))
    }

    func kubectl(_ arguments: [String]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(EndToEndBinaries.kubectl, ["--kubeconfig", kubeconfig, "--request-timeout", "30s"] + arguments,
                                   environment: childEnvironment, timeout: .seconds(90))
    }

    func tearDown() async {
        await apiServer.stop()
        issuer.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
