import ArgumentParser
import Foundation
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    /// `kubeid cluster …`: the `az aks` verbs for clusters whose people sign in with kubeid.
    struct Cluster: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cluster",
            abstract: "Register Kubernetes clusters, hand out kubeconfigs and configure their API servers (like az aks).",
            subcommands: [Create.self, Update.self, Show.self, List.self, Delete.self, RotateCerts.self,
                          GetCredentials.self, APIServerConfig.self])
    }
}

/// `--tenant` for cluster verbs: optional while a cluster name is unique across tenants.
struct ClusterSelection: ParsableArguments {
    @Option(help: "Tenant id or name (may be left out when only one tenant has a cluster of this name).")
    var tenant: String?
    @Option(name: [.customShort("n"), .customLong("name")], help: "Cluster name.")
    var name: String

    func resolvedTenant(_ administration: DirectoryAdministration) async throws -> String {
        try await administration.clusterTenant(tenant, name: name).id
    }
}

/// The AAD settings `create` and `update` share.
struct AADOptions: ParsableArguments {
    @Flag(name: .customLong("enable-aad"), help: "Sign the cluster's users in with kubeid (cannot be turned off later).")
    var enableAAD = false
    @Option(name: .customLong("aad-admin-group-object-ids"),
            help: "Comma-separated object ids of the groups whose members administer the cluster.")
    var adminGroups: String?
    @Flag(name: .customLong("no-aad-admin-groups"),
          help: "Acknowledge an AAD cluster without admin groups (only role assignments grant access).")
    var noAdminGroups = false
    @Option(name: .customLong("aad-tenant-id"), help: "Tenant whose users the cluster accepts (default: the cluster's tenant).")
    var aadTenantID: String?

    var adminGroupList: [String]? {
        adminGroups.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }
}

func readPEMFile(_ path: String, flag: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(flag): cannot read \(path)") }
    return String(decoding: data, as: UTF8.self)
}

extension KubeIDCommand.Cluster {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a cluster (like az aks create); prints it as JSON.",
            discussion: """
            Example (the seed walkthrough):
              kubeid cluster create --tenant contoso --name dev --server https://10.0.0.1:6443 \\
                  --certificate-authority apiserver-ca.crt --enable-aad --aad-admin-group-object-ids <group id> \\
                  --enable-azure-rbac
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(name: [.customShort("n"), .customLong("name")], help: "Cluster name (1-63 letters, digits, '-', '_').")
        var name: String
        @Option(help: "The API server URL, https://HOST:6443.") var server: String
        @Option(name: .customLong("certificate-authority"), help: "PEM file of the CA that signed the API server's certificate.")
        var certificateAuthority: String?
        @OptionGroup var aad: AADOptions
        @Flag(name: .customLong("enable-azure-rbac"), help: "Authorize with kubeid role assignments (needs --enable-aad).")
        var enableAzureRBAC = false
        @Flag(name: .customLong("disable-local-accounts"), help: "Refuse admin (client-certificate) credentials (needs --enable-aad).")
        var disableLocalAccounts = false
        @Flag(name: .customLong("disable-rbac"), help: "The cluster runs without Kubernetes RBAC (then AAD cannot be enabled).")
        var disableRBAC = false
        @Option(help: "The cluster's own token audience, e.g. api://<name> (needs --enable-aad): tokens for other clusters stop working here (default: the audience all AKS clusters share).")
        var audience: String?

        func run() async throws {
            let registration = ClusterRegistration(
                name: name, server: server,
                certificateAuthorityPEM: try certificateAuthority.map { try readPEMFile($0, flag: "--certificate-authority") },
                enableAAD: aad.enableAAD, adminGroupObjectIDs: aad.adminGroupList, acknowledgeNoAdminGroups: aad.noAdminGroups,
                aadTenantID: aad.aadTenantID, enableAzureRBAC: enableAzureRBAC, disableLocalAccounts: disableLocalAccounts,
                disableRBAC: disableRBAC, audience: audience)
            let cluster = try await store.administration().createCluster(tenant: tenant, registration)
            OutputPrinter.print(ClusterJSON.cluster(cluster), output: output, tableRows: ClusterJSON.clusterRow(cluster))
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a cluster's settings (like az aks update).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var selection: ClusterSelection
        @OptionGroup var aad: AADOptions
        @Flag(name: .customLong("enable-azure-rbac"), help: "Authorize with kubeid role assignments.")
        var enableAzureRBAC = false
        @Flag(name: .customLong("disable-azure-rbac"), help: "Stop authorizing with role assignments.")
        var disableAzureRBAC = false
        @Flag(name: .customLong("disable-local-accounts"), help: "Refuse admin (client-certificate) credentials.")
        var disableLocalAccounts = false
        @Flag(name: .customLong("enable-local"), help: "Allow admin (client-certificate) credentials again.")
        var enableLocal = false
        @Option(help: "A new API server URL.") var server: String?
        @Option(name: .customLong("certificate-authority"), help: "A new PEM file of the API server's CA.")
        var certificateAuthority: String?
        @Option(help: "A new own token audience, e.g. api://<name>: run get-credentials and apiserver-config again afterwards.")
        var audience: String?
        @Flag(name: .customLong("shared-audience"), help: "Go back to the token audience all AKS clusters share.")
        var sharedAudience = false

        func validate() throws {
            if audience != nil && sharedAudience { throw ValidationError("--audience and --shared-audience exclude each other") }
            if disableLocalAccounts && enableLocal { throw ValidationError("--disable-local-accounts and --enable-local exclude each other") }
            if enableAzureRBAC && disableAzureRBAC { throw ValidationError("--enable-azure-rbac and --disable-azure-rbac exclude each other") }
        }

        func run() async throws {
            let administration = try await store.administration()
            let tenant = try await selection.resolvedTenant(administration)
            let update = ClusterUpdate(
                enableAAD: aad.enableAAD, adminGroupObjectIDs: aad.adminGroupList, acknowledgeNoAdminGroups: aad.noAdminGroups,
                aadTenantID: aad.aadTenantID, azureRBAC: enableAzureRBAC ? true : (disableAzureRBAC ? false : nil),
                disableLocalAccounts: disableLocalAccounts ? true : (enableLocal ? false : nil), server: server,
                certificateAuthorityPEM: try certificateAuthority.map { try readPEMFile($0, flag: "--certificate-authority") },
                audience: audience, sharedAudience: sharedAudience)
            let cluster = try await administration.updateCluster(tenant: tenant, name: selection.name, update)
            OutputPrinter.print(ClusterJSON.cluster(cluster), output: output, tableRows: ClusterJSON.clusterRow(cluster))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a cluster.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var selection: ClusterSelection

        func run() async throws {
            let administration = try await store.administration()
            let tenant = try await selection.resolvedTenant(administration)
            OutputPrinter.print(ClusterJSON.cluster(try await administration.cluster(tenant: tenant, name: selection.name)),
                                output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List clusters (of one tenant, or of all).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String?

        func run() async throws {
            let clusters = try await store.administration().listClusters(tenant: tenant)
            OutputPrinter.print(.array(clusters.map(ClusterJSON.cluster)), output: output,
                                tableRows: .array(clusters.map(ClusterJSON.clusterRow)))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a cluster registration and its role assignments.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var selection: ClusterSelection
        @Flag(name: [.customShort("y"), .customLong("yes")], help: "Accepted for az compatibility; kubeid never prompts.")
        var yes = false

        func run() async throws {
            let administration = try await store.administration()
            let tenant = try await selection.resolvedTenant(administration)
            try await administration.deleteCluster(tenant: tenant, name: selection.name)
        }
    }

    struct RotateCerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-certs",
            abstract: "Replace the cluster's local-account CA: admin certificates issued before stop working.",
            discussion: """
            Give kube-apiserver the new CA (`kubeid cluster apiserver-config` rewrites client-ca.crt; \
            kube-apiserver reloads --client-ca-file by itself).
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var selection: ClusterSelection
        @Flag(name: [.customShort("y"), .customLong("yes")], help: "Accepted for az compatibility; kubeid never prompts.")
        var yes = false

        func run() async throws {
            let administration = try await store.administration()
            let tenant = try await selection.resolvedTenant(administration)
            let cluster = try await administration.rotateClusterCertificates(tenant: tenant, name: selection.name)
            OutputPrinter.print(ClusterJSON.cluster(cluster), output: output, tableRows: ClusterJSON.clusterRow(cluster))
        }
    }
}
