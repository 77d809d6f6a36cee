import ArgumentParser
import KubeLoginCore

/// `kubelogin remove-cache-dir`: deletes the cache directory (its default ignores
/// `KUBECACHEDIR`, as upstream's does).
struct RemoveCacheDirCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove-cache-dir",
                                                    abstract: "Remove all cached authentication record from filesystem")

    @Option(name: .customLong("cache-dir"), parsing: .unconditional, help: "directory to cache authentication record (default \"~/.kube/cache/kubelogin/\")")
    var cacheDir: String?
    @OptionGroup var global: GlobalOptionGroup

    func run() throws {
        let environment = CommandContext.current.environment
        try RemoveCacheDirectory.run(cacheDir ?? TokenOptions.compiledInCacheDir(environment: environment))
    }
}

/// `kubelogin remove-tokens`: the deprecated, hidden name of `remove-cache-dir`.
struct RemoveTokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove-tokens",
                                                    abstract: "Remove all cached authentication record from filesystem",
                                                    shouldDisplay: false)

    @Option(name: .customLong("token-cache-dir"), parsing: .unconditional, help: "directory to cache authentication record (default \"~/.kube/cache/kubelogin/\")")
    var tokenCacheDir: String?
    @OptionGroup var global: GlobalOptionGroup

    func run() throws {
        let context = CommandContext.current
        context.standardError.write("Command \"remove-tokens\" is deprecated, remove-tokens is deprecated, use remove-cache-dir instead\n")
        try RemoveCacheDirectory.run(tokenCacheDir ?? TokenOptions.compiledInCacheDir(environment: context.environment))
    }
}
