import Foundation
import IdentityCore
import KubernetesTypes
import OAuthProtocol

/// The kubeconfig entries `get-credentials` merges, and the merge itself, the way
/// `az aks get-credentials` does it: a cluster named after the cluster, a user
/// (`clusterUser_<tenant>_<cluster>` or `clusterAdmin_<tenant>_<cluster>`, az's names with the
/// tenant in place of the resource group) and a context (`<cluster>` or `<cluster>-admin`,
/// or `--context`), which becomes the current context.
enum ClusterKubeconfig {
    /// kubelogin's own hint (its `convert-kubeconfig` writes the same text).
    static let installHint = """

        kubelogin is not installed which is required to connect to AAD enabled cluster.

        To learn more, please go to https://azure.github.io/kubelogin/

        """
    static let execAPIVersion = "client.authentication.k8s.io/v1beta1"

    struct Entries {
        var cluster: NamedCluster
        var user: NamedUser
        var context: NamedContext
    }

    /// What `kubelogin convert-kubeconfig -l devicecode` writes for an AKS AAD cluster, plus the
    /// two flags that point kubelogin (ours or Azure's) at kubeid: `--authority-host
    /// <issuer-url>/` and `--disable-instance-discovery`. `--server-id` is the cluster's audience
    /// (its own, or the AKS server app id), so the token is minted for this cluster.
    static func deviceCodeArguments(tenantID: String, serverID: String, issuerURL: String) -> [String] {
        ["get-token", "--login", "devicecode", "--server-id", serverID,
         "--client-id", WellKnownApplications.aksClientAppID, "--tenant-id", tenantID, "--environment", "AzurePublicCloud",
         "--authority-host", issuerURL + "/", "--disable-instance-discovery"]
    }

    static func userEntries(cluster: IdentityCore.Cluster, tenantName: String, issuerURL: String, contextName: String?) -> Entries {
        let tenantID = cluster.aadProfile?.tenantID ?? cluster.tenantID
        let exec = KubeconfigExec(command: "kubelogin", args: deviceCodeArguments(tenantID: tenantID, serverID: cluster.acceptedAudience,
                                                                                issuerURL: issuerURL),
                                  env: nil, apiVersion: execAPIVersion, installHint: installHint, provideClusterInfo: false)
        return entries(cluster: cluster, userName: "clusterUser_\(tenantName)_\(cluster.name)",
                       user: KubeconfigUser(exec: exec), contextName: contextName ?? cluster.name)
    }

    static func adminEntries(cluster: IdentityCore.Cluster, tenantName: String, credential: AdminCredential,
                             contextName: String?, userPrefix: String = "clusterAdmin") -> Entries {
        let user = KubeconfigUser(clientCertificateData: Data(credential.certificatePEM.utf8).base64EncodedString(),
                                  clientKeyData: Data(credential.privateKeyPEM.utf8).base64EncodedString())
        return entries(cluster: cluster, userName: "\(userPrefix)_\(tenantName)_\(cluster.name)", user: user,
                       contextName: contextName ?? (userPrefix == "clusterAdmin" ? "\(cluster.name)-admin" : cluster.name))
    }

    private static func entries(cluster: IdentityCore.Cluster, userName: String, user: KubeconfigUser, contextName: String) -> Entries {
        let caData = cluster.certificateAuthorityPEM.map { Data($0.utf8).base64EncodedString() } ?? ""
        return Entries(cluster: NamedCluster(name: cluster.name,
                                             cluster: KubeconfigCluster(server: cluster.server, certificateAuthorityData: caData)),
                       user: NamedUser(name: userName, user: user),
                       context: NamedContext(name: contextName, context: KubeconfigContext(cluster: cluster.name, user: userName)))
    }

    /// Merges as az's `_handle_merge`: an identical entry of the same name is replaced silently,
    /// a different one only with `overwrite`; the context becomes current.
    static func merge(_ entries: Entries, into existing: Kubeconfig, overwrite: Bool) throws -> Kubeconfig {
        // Compare as the entries will read back from the file (client-go's defaults applied).
        let entries = normalized(entries)
        var clusters = existing.clusters
        var users = existing.users
        var contexts = existing.contexts
        try upsert(entries.cluster, into: &clusters, kind: "clusters", name: \.name, overwrite: overwrite)
        try upsert(entries.user, into: &users, kind: "users", name: \.name, overwrite: overwrite)
        try upsert(entries.context, into: &contexts, kind: "contexts", name: \.name, overwrite: overwrite)
        return Kubeconfig(clusters: clusters, contexts: contexts, users: users, currentContext: entries.context.name,
                          preferences: existing.preferences, extensions: existing.extensions)
    }

    /// The entries written and read back, so an identical entry already in the file compares equal.
    static func normalized(_ entries: Entries) -> Entries {
        let config = Kubeconfig(clusters: [entries.cluster], contexts: [entries.context], users: [entries.user])
        guard let read = try? KubeconfigYAMLReader.read(KubeconfigYAMLWriter.yaml(for: config)),
              let cluster = read.clusters.first, let user = read.users.first, let context = read.contexts.first else { return entries }
        return Entries(cluster: cluster, user: user, context: context)
    }

    private static func upsert<Entry: Equatable>(_ entry: Entry, into list: inout [Entry], kind: String,
                                                 name: KeyPath<Entry, String>, overwrite: Bool) throws {
        if let index = list.firstIndex(where: { $0[keyPath: name] == entry[keyPath: name] }) {
            guard overwrite || list[index] == entry else {
                throw CLIError("A different object named \(entry[keyPath: name]) already exists in \(kind) in your kubeconfig file.")
            }
            list[index] = entry
        } else {
            list.append(entry)
        }
    }

    /// `--file`, else the first file of `KUBECONFIG`, else `~/.kube/config`.
    static func path(file: String?, environment: [String: String]) -> String {
        if let file { return file }
        if let first = environment["KUBECONFIG"]?.split(separator: ":").first.map(String.init), !first.isEmpty { return first }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.homeDirectoryForCurrentUser.path
        return home + "/.kube/config"
    }

    static func load(_ path: String) throws -> Kubeconfig {
        guard let data = FileManager.default.contents(atPath: path) else { return Kubeconfig() }
        let text = String(decoding: data, as: UTF8.self)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return Kubeconfig() }
        do {
            return try KubeconfigYAMLReader.read(text)
        } catch {
            throw CLIError("\(path) is not a valid kubeconfig: \(error)")
        }
    }

    /// Writes 0600 atomically, creating the directory (0700) if needed.
    static func write(_ config: Kubeconfig, to path: String) throws {
        try FileSystem.makeDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        try FileSystem.writeSecretFile(path, contents: KubeconfigYAMLWriter.yaml(for: config))
    }
}
