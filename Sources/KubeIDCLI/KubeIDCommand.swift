import ArgumentParser
import Foundation
import IdentityCore

/// `kubeid`: the issuer and its administration verbs.
public struct KubeIDCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubeid",
        abstract: "A self-hosted, Entra ID-compatible identity provider for Kubernetes.",
        discussion: """
        Run `kubeid serve` to start the issuer (HTTPS on 127.0.0.1:8443, data in ./.kubeid), then manage \
        the directory with the other verbs; they work on the same data directory while the server runs.
        """,
        version: KubeIDVersion.current,
        subcommands: [Serve.self, Tenant.self, User.self, Group.self, ServicePrincipal.self, App.self, Cluster.self, Role.self,
                      DirectoryRoleCommand.self, PIM.self, SignIn.self,
                      Keys.self, Audit.self, Database.self, Dev.self])

    public init() {}

    /// Runs the command line, reporting every failure as `Error: <message>` on stderr with exit
    /// status 1 (help and `--version` exit 0 as usual).
    public static func runCommandLine(_ arguments: [String]? = nil) async {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .success {
                exit(withError: error)
            }
            // A refusal AKS words exactly (`get-credentials --admin` with local accounts
            // disabled) prints exactly that, as az does, so scripts can match it.
            if let refusal = error as? AdministrationError, refusal.code == .notAllowed {
                FileHandle.standardError.write(Data("\(refusal.message)\n".utf8))
                Foundation.exit(1)
            }
            let text = (error as? AdministrationError).map(FlagNames.phrase) ?? message(for: error)
            FileHandle.standardError.write(Data("Error: \(text)\n".utf8))
            Foundation.exit(1)
        }
    }
}

enum KubeIDVersion {
    static let current = "0.1.0"
}
