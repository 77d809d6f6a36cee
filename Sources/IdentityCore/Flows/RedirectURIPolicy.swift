import Foundation

/// Redirect-URI rules (RFC 9700 §2.1, §4.1; RFC 8252 §7.3):
/// exact string match against a registered URI, except that a registered loopback URI
/// (`http://localhost`, `http://127.0.0.1`, `http://[::1]`) matches the same host and path on
/// any port, because native clients (MSAL's listener) bind a random port.
public enum RedirectURIPolicy {
    public static func matches(_ presented: String, registered: [String]) -> Bool {
        if registered.contains(presented) { return true }
        guard let candidate = loopback(presented) else { return false }
        return registered.contains { uri in
            guard let allowed = loopback(uri) else { return false }
            return allowed.host == candidate.host && allowed.path == candidate.path && allowed.query == candidate.query
        }
    }

    /// What `app create --redirect-uri` accepts: an absolute URI without fragment or wildcard,
    /// `https`, `http` only on a loopback host, or a private-use scheme (`msal<id>://auth`).
    public static func isRegistrable(_ uri: String) -> Bool {
        guard uri.count <= 256, !uri.contains("*"), !uri.contains(" "),
              let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
              components.fragment == nil else { return false }
        switch scheme {
        case "https": return components.host?.isEmpty == false
        case "http": return loopback(uri) != nil
        case "javascript", "data", "file", "vbscript": return false
        default: return true
        }
    }

    private struct Loopback: Equatable {
        var host: String
        var path: String
        var query: String?
    }

    private static func loopback(_ uri: String) -> Loopback? {
        guard let components = URLComponents(string: uri), components.scheme?.lowercased() == "http",
              components.user == nil, components.password == nil, components.fragment == nil,
              let host = components.host?.lowercased(), ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host) else {
            return nil
        }
        let path = components.percentEncodedPath == "/" ? "" : components.percentEncodedPath
        return Loopback(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), path: path,
                        query: components.percentEncodedQuery)
    }
}
