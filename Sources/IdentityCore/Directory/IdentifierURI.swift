import Foundation

/// Identifier URIs name a resource app in `scope`/`resource` (`api://kubernetes`).
public enum IdentifierURI {
    public static func isValid(_ uri: String) -> Bool {
        guard let url = URL(string: uri), let scheme = url.scheme, !scheme.isEmpty,
              uri.count <= 256, !uri.contains(" ") else { return false }
        return !uri.hasSuffix("/.default")
    }
}
