import ArgumentParser
import Foundation
import IdentityCore

/// The issuer URL the cluster's users and kube-apiserver reach kubeid at, for commands that
/// write it into files (`get-credentials`, `apiserver-config`): flag, then `KUBEID_ISSUER_URL`,
/// then the URL `serve` was last started with on the same store, then `serve`'s default.
struct IssuerURLOptions: ParsableArguments {
    static let defaultIssuerURL = "https://127.0.0.1:8443"

    @Option(name: .customLong("issuer-url"),
            help: """
            kubeid's public base URL, as `serve --issuer-url` (env KUBEID_ISSUER_URL; default: the URL `serve` \
            was last started with on this store, else https://127.0.0.1:8443).
            """)
    var issuerURL: String?

    func resolvedIssuerURL(administration: DirectoryAdministration,
                           environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> String {
        if let explicit = issuerURL ?? environment["KUBEID_ISSUER_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return try ServeSettings.validateIssuerURL(explicit)
        }
        return try ServeSettings.validateIssuerURL(try await administration.recordedIssuerURL() ?? Self.defaultIssuerURL)
    }
}
