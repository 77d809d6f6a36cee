import KubernetesTypes

/// Upstream's way of reading values back out of an existing exec block (`getExecArg`,
/// `getExecBoolArg`): only the exact two-token form `--flag value` counts (never `--flag=value`
/// or short flags), the first occurrence wins, and a bool flag must be the bare token.
struct ExecArguments: Sendable {
    let arguments: [String]

    init(_ exec: KubeconfigExec?) {
        arguments = exec?.args ?? []
    }

    func value(after flag: TokenFlag) -> String {
        guard let index = arguments.firstIndex(of: flag.argument), index + 1 < arguments.count else { return "" }
        return arguments[index + 1]
    }

    func contains(_ flag: TokenFlag) -> Bool { arguments.contains(flag.argument) }
}
