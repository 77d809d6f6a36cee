import ArgumentParser
import Foundation
import IdentityCore
import OAuthProtocol

extension KubeIDCommand.Cluster {
    struct APIServerConfig: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apiserver-config",
            abstract: "Write the files and flags that connect the cluster's kube-apiserver to kubeid.",
            discussion: """
            Writes authentication-config.yaml (kube-apiserver verifies kubeid tokens itself), authn-webhook.kubeconfig \
            and authz-webhook.kubeconfig (kubeid's TokenReview and SubjectAccessReview webhooks; mode 0600, they \
            hold the webhook token), client-ca.crt (the local-account CA), admin-clusterrolebinding.yaml and \
            flags.txt. The webhook token is stored only as a hash: running the command again in the same \
            directory keeps the token found there; elsewhere a new token replaces the old one.
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var selection: ClusterSelection
        @OptionGroup var issuer: IssuerURLOptions
        @Option(help: "Directory to write to (default ./<name>-apiserver).") var dir: String?
        @Option(name: .customLong("issuer-ca-file"),
                help: "CA that signed kubeid's TLS certificate (default <data-dir>/tls/ca.crt when present).")
        var issuerCAFile: String?
        @Option(name: .customLong("apiserver-path"),
                help: "Where kube-apiserver will read the files, for flags.txt (default: the output directory).")
        var apiserverPath: String?

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let administration = try await store.administration()
            let tenant = try await selection.resolvedTenant(administration)
            var cluster = try await administration.cluster(tenant: tenant, name: selection.name)
            let directory = URL(fileURLWithPath: dir ?? "./\(cluster.name)-apiserver").standardizedFileURL.path
            try FileSystem.makeDirectory(directory)

            var caFile = issuerCAFile
            if caFile == nil {
                let generated = DataDirectory(path: store.resolvedDataDirectory(environment: environment)).tlsDirectory + "/ca.crt"
                if FileManager.default.fileExists(atPath: generated) { caFile = generated }
            }
            let caPEM = try caFile.map { try readPEMFile($0, flag: "--issuer-ca-file") }
            var token: String?
            if cluster.aadProfile != nil {
                let (updated, issued) = try await administration.webhookToken(
                    tenant: tenant, name: cluster.name, existing: APIServerConfigFiles.existingToken(in: directory))
                cluster = updated
                token = issued
            }
            let files = APIServerConfigFiles(cluster: cluster, issuerURL: try await issuer.resolvedIssuerURL(administration: administration,
                                                                                                      environment: environment),
                                             issuerCAPEM: caPEM, webhookToken: token, directory: apiserverPath ?? directory).files()
            for file in files {
                let path = "\(directory)/\(file.name)"
                if file.secret {
                    try FileSystem.writeSecretFile(path, contents: file.contents)
                } else {
                    try FileSystem.writePublicFile(path, contents: file.contents)
                }
            }
            let flags = files.first { $0.name == APIServerConfigFiles.flags }?.contents
                .split(separator: "\n").map(String.init).filter { $0.hasPrefix("--") } ?? []
            OutputPrinter.print(.object([
                ("cluster", .string(cluster.resourceID)),
                ("directory", .string(directory)),
                ("files", .strings(files.map(\.name))),
                ("flags", .strings(flags)),
            ]), output: output)
        }
    }
}
