/// A failure shown to the user as `Error: <message>` on stderr, exit code 1.
///
/// The message is the whole contract (kubectl and scripts see nothing else), so each factory
/// carries upstream Azure/kubelogin's wording where it has one. Equality is by message.
public struct KubeLoginError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }
    public var description: String { message }

    public static func unsupportedLogin(_ value: String) -> KubeLoginError {
        KubeLoginError("'\(value)' is not a supported login method. Supported method is one of \(LoginMode.supportedList)")
    }

    public static let popClaimsMissing = KubeLoginError(
        "if enabling pop token mode, please provide the pop-claims flag containing the PoP token claims as a comma-separated string: `u=popClaimHost,key1=val1`")
    public static let popEnabledMissing = KubeLoginError(
        "pop-enabled flag is required to use the PoP token feature. Please provide both pop-enabled and pop-claims flags")
    public static let timeoutNotPositive = KubeLoginError("timeout must be greater than 0")
    public static let serverIDRequired = KubeLoginError("server-id is required")

    /// `--server-id is required` and friends, from convert.
    public static func flagRequired(_ flag: TokenFlag) -> KubeLoginError {
        KubeLoginError("\(flag.argument) is required")
    }

    /// `--pop-claims is required when specifying --pop-enabled` (convert, after merging sources).
    public static func popPairing(required: TokenFlag, specified: TokenFlag) -> KubeLoginError {
        KubeLoginError("\(required.argument) is required when specifying \(specified.argument)")
    }

    public static func noContext(_ name: String) -> KubeLoginError {
        KubeLoginError("no context exists with the name: \(GoQuote.quote(name))")
    }

    /// `failed to create azidentity credential: <reason>` (the provider factory's checks).
    public static func credential(_ reason: String) -> KubeLoginError {
        KubeLoginError("failed to create azidentity credential: \(reason)")
    }
}

/// Go's `%q`: a double-quoted string with Go escapes.
public enum GoQuote {
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
