import ArgumentParser
import KubeLoginCore

/// `kubelogin`: the root command, with upstream's subcommands. It does nothing itself
/// (without a subcommand it prints help, as upstream's cobra root does).
public struct KubeLoginCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kubelogin",
        abstract: "login to azure active directory and populate kubeconfig with AAD tokens",
        version: KubeLoginMain.versionText,
        subcommands: [ConvertKubeconfigCommand.self, GetTokenCommand.self, RemoveCacheDirCommand.self, RemoveTokensCommand.self])

    public init() {}
}
