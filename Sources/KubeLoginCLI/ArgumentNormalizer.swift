import KubeLoginCore

/// Bridges pflag's command-line syntax to ArgumentParser's before parsing:
/// - bool flags may carry a value (`--legacy=true`, `--pop-enabled=false`): true becomes the
///   bare flag, false is removed — and both count as "typed" (pflag's `Changed`);
/// - `-v=5` becomes `-v 5`;
/// - which shared flags were typed, and whether `--cache-dir` or `--token-cache-dir` came last
///   (they share one value in upstream, and the last one parsed wins);
/// - the argument after a value-taking flag is that flag's value whatever it looks like (pflag
///   takes it unconditionally, so `--client-secret -Ab3~...` works); it is passed through as is
///   and the options themselves are declared with `parsing: .unconditional`.
struct ArgumentNormalizer: Sendable {
    var arguments: [String] = []
    var typedFlags: Set<TokenFlag> = []
    /// The value of whichever of `--cache-dir`/`--token-cache-dir` was typed last.
    var lastCacheDirectory: String?
    var usedDeprecatedTokenCacheDir = false

    init(_ raw: [String]) {
        var index = 0
        while index < raw.count {
            let argument = raw[index]
            index += 1
            if argument == "--" {
                arguments.append(contentsOf: raw[(index - 1)...])
                break
            }
            if argument.hasPrefix("-v="), argument.count > 3 {
                arguments += ["-v", String(argument.dropFirst(3))]
                continue
            }
            guard argument.hasPrefix("-") else {
                arguments.append(argument)
                continue
            }
            let (name, inlineValue) = Self.split(argument)
            if let flag = Self.flag(named: name) {
                typedFlags.insert(flag)
                if TokenFlag.booleanFlags.contains(flag) {
                    if let inlineValue {
                        if Self.parseBool(inlineValue) == true { arguments.append("--" + flag.rawValue) }
                        // false: dropped; the flag still counts as typed
                        if Self.parseBool(inlineValue) == nil { arguments.append(argument) }  // let the parser report it
                    } else {
                        arguments.append(argument)
                    }
                    continue
                }
                if flag == .cacheDir || flag == .tokenCacheDir {
                    if flag == .tokenCacheDir { usedDeprecatedTokenCacheDir = true }
                    let value = inlineValue ?? (index < raw.count ? raw[index] : nil)
                    if let value { lastCacheDirectory = value }
                }
            } else if name == "--logtostderr", let inlineValue {
                if Self.parseBool(inlineValue) != false { arguments.append("--logtostderr") }
                continue
            } else if !Self.otherValueOptions.contains(name) {
                arguments.append(argument)
                continue
            }
            arguments.append(argument)
            if inlineValue == nil, index < raw.count {
                arguments.append(raw[index])
                index += 1
            }
        }
    }

    /// Value-taking options outside the shared token flags.
    static let otherValueOptions: Set<String> = ["--kubeconfig", "--context", "--azure-config-dir", "-v", "--v"]

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    static func flag(named name: String) -> TokenFlag? {
        switch name {
        case "-l": return .login
        case "-t": return .tenantID
        case "-s": return .subscription
        case "-e": return .environment
        default:
            guard name.hasPrefix("--") else { return nil }
            return TokenFlag(rawValue: String(name.dropFirst(2)))
        }
    }

    /// pflag's `strconv.ParseBool`.
    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False": return false
        default: return nil
        }
    }
}
