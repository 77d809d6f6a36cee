import ArgumentParser
import KubeLoginCore

/// `kubelogin get-token`: prints an ExecCredential for kubectl (stdout holds nothing else).
struct GetTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get-token", abstract: "get AAD token")

    @OptionGroup var tokenOptions: TokenOptionGroup
    @OptionGroup var global: GlobalOptionGroup

    func run() async throws {
        let context = CommandContext.current
        if context.normalizer.usedDeprecatedTokenCacheDir {
            context.standardError.write("Flag --token-cache-dir has been deprecated, use --cache-dir instead\n")
        }
        let options = try tokenOptions.tokenOptions(environment: context.environment, normalizer: context.normalizer)
        let (plugin, shutdown) = context.makePluginEnvironment(global.verbosity)
        do {
            try await GetToken(options: options, environment: plugin).run()
        } catch {
            await shutdown()
            throw error
        }
        await shutdown()
    }
}
