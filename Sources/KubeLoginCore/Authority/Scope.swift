/// The scope requested for `--server-id`: trailing `/` removed, `/.default` appended unless it
/// is already there (upstream `GetScope`).
public enum Scope {
    public static func forServerID(_ serverID: String) -> String {
        var trimmed = Substring(serverID)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.hasSuffix("/.default") ? String(trimmed) : trimmed + "/.default"
    }

    /// What MSAL public clients send for user flows: the resource scope plus the OIDC scopes.
    public static func userFlowScope(forServerID serverID: String) -> String {
        forServerID(serverID) + " openid offline_access profile"
    }
}
