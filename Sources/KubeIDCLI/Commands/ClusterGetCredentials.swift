import ArgumentParser
import Foundation
import IdentityCore
import KubernetesTypes

extension KubeIDCommand.Cluster {
    struct GetCredentials: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get-credentials",
            abstract: "Merge the cluster's kubeconfig entries into ~/.kube/config (like az aks get-credentials).",
            discussion: """
            Users sign in through kubelogin (device code against kubeid). With --admin: a client certificate \
            (O=system:masters, valid one hour) signed by the cluster's local-account CA, refused when local \
            accounts are disabled. The file is KUBECONFIG's first file or ~/.kube/config unless --file \
            (`-` prints to stdout); it is written with mode 0600. The issuer URL in the users' entries is \
            --issuer-url, else KUBEID_ISSUER_URL, else the URL `kubeid serve` was last started with on the same \
            store (data directory or database), else https://127.0.0.1:8443.
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var selection: ClusterSelection
        @OptionGroup var issuer: IssuerURLOptions
        @Flag(name: [.customShort("a"), .customLong("admin")], help: "Get the local admin credential (client certificate).")
        var admin = false
        @Option(name: [.customShort("f"), .customLong("file")], help: "Kubeconfig file to update (`-` for stdout).")
        var file: String?
        @Flag(name: .customLong("overwrite-existing"), help: "Overwrite entries of the same name that differ.")
        var overwriteExisting = false
        @Option(help: "Name of the context (default: the cluster name, or <name>-admin).")
        var context: String?

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let administration = try await store.administration()
            let tenant = try await administration.clusterTenant(selection.tenant, name: selection.name)
            let cluster = try await administration.cluster(tenant: tenant.id, name: selection.name)
            let entries: ClusterKubeconfig.Entries
            if admin {
                let credential = try await administration.adminCredential(tenant: tenant.id, name: cluster.name)
                entries = ClusterKubeconfig.adminEntries(cluster: cluster, tenantName: tenant.name, credential: credential,
                                                         contextName: context)
            } else if cluster.aadProfile != nil {
                entries = ClusterKubeconfig.userEntries(cluster: cluster, tenantName: tenant.name,
                                                        issuerURL: try await issuer.resolvedIssuerURL(administration: administration,
                                                                                                  environment: environment),
                                                        contextName: context)
            } else {
                // As AKS: without AAD, user credentials are the local account's certificate.
                let credential = try await administration.adminCredential(tenant: tenant.id, name: cluster.name)
                entries = ClusterKubeconfig.adminEntries(cluster: cluster, tenantName: tenant.name, credential: credential,
                                                         contextName: context, userPrefix: "clusterUser")
            }
            if file == "-" {
                let config = try ClusterKubeconfig.merge(entries, into: Kubeconfig(), overwrite: true)
                FileHandle.standardOutput.write(Data(KubeconfigYAMLWriter.yaml(for: config).utf8))
                return
            }
            let path = ClusterKubeconfig.path(file: file, environment: environment)
            let merged = try ClusterKubeconfig.merge(entries, into: try ClusterKubeconfig.load(path), overwrite: overwriteExisting)
            try ClusterKubeconfig.write(merged, to: path)
            print("Merged \"\(entries.context.name)\" as current context in \(path)")
        }
    }
}
