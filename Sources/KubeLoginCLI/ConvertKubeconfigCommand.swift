import ArgumentParser
import KubeLoginCore

/// `kubelogin convert-kubeconfig`: rewrites Azure users of a kubeconfig to run this plugin.
struct ConvertKubeconfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert-kubeconfig", abstract: "convert kubeconfig to use exec auth module")

    @OptionGroup var tokenOptions: TokenOptionGroup
    @Option(name: .customLong("kubeconfig"), parsing: .unconditional, help: "Path to the kubeconfig file to use for CLI requests.")
    var kubeconfig: String?
    @Option(name: .customLong("context"), parsing: .unconditional, help: "The name of the kubeconfig context to use")
    var contextName: String?
    @Option(name: .customLong("azure-config-dir"), parsing: .unconditional, help: "Azure CLI config path")
    var azureConfigDir: String?
    @OptionGroup var global: GlobalOptionGroup

    func run() throws {
        let context = CommandContext.current
        if context.normalizer.usedDeprecatedTokenCacheDir {
            context.standardError.write("Flag --token-cache-dir has been deprecated, use --cache-dir instead\n")
        }
        let options = try tokenOptions.tokenOptions(environment: context.environment, normalizer: context.normalizer)
        let rules = KubeconfigLoadingRules(explicitPath: kubeconfig ?? "", environment: context.environment)
        try ConvertKubeconfig(options: options, context: contextName ?? "", azureConfigDir: azureConfigDir ?? "", rules: rules).run()
    }
}
