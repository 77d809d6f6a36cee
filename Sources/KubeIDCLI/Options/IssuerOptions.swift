import ArgumentParser
import Foundation

/// The issuer URL the cluster's users and kube-apiserver reach kubeid at, for commands that
/// write it into files (`get-credentials`, `apiserver-config`): flag, then `KUBEID_ISSUER_URL`,
/// then `serve`'s default.
struct IssuerURLOptions: ParsableArguments {
    @Option(name: .customLong("issuer-url"),
            help: "kubeid's public base URL, as `serve --issuer-url` (env KUBEID_ISSUER_URL; default https://127.0.0.1:8443).")
    var issuerURL: String?

    func resolvedIssuerURL(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let text = issuerURL ?? environment["KUBEID_ISSUER_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://127.0.0.1:8443"
        return try ServeSettings.validateIssuerURL(text)
    }
}
