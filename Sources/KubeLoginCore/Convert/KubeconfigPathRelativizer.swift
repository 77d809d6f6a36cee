import Foundation
import KubernetesTypes

/// client-go's `RelativizeAuthInfoLocalPaths`, applied to each user it writes back: file
/// references are made absolute against the file's directory, then relative again when that
/// needs no `..` (so `certs/a.crt` stays, `../a.crt` becomes absolute, and an absolute path
/// under the kubeconfig's directory becomes relative).
enum KubeconfigPathRelativizer {
    static func relativize(_ user: KubeconfigUser, kubeconfigPath: String) -> KubeconfigUser {
        let base = standardize(absolute((kubeconfigPath as NSString).deletingLastPathComponent))
        var user = user
        user.clientCertificate = relativize(user.clientCertificate, base: base)
        user.clientKey = relativize(user.clientKey, base: base)
        user.tokenFile = relativize(user.tokenFile, base: base)
        if var exec = user.exec, exec.command.contains("/") {
            exec.command = relativize(exec.command, base: base)
            user.exec = exec
        }
        return user
    }

    static func relativize(_ path: String, base: String) -> String {
        guard !path.isEmpty else { return path }
        let target = standardize(path.hasPrefix("/") ? path : base + "/" + path)
        let baseParts = base.split(separator: "/")
        let targetParts = target.split(separator: "/")
        var common = 0
        while common < baseParts.count, common < targetParts.count, baseParts[common] == targetParts[common] { common += 1 }
        guard common == baseParts.count else { return target }  // would need "..": keep it absolute
        let rest = targetParts[common...].joined(separator: "/")
        return rest.isEmpty ? "." : rest
    }

    private static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let cwd = FileManager.default.currentDirectoryPath
        return path.isEmpty ? cwd : cwd + "/" + path
    }

    /// `filepath.Clean` for absolute paths: no `.`, no `..`, no doubled or trailing slashes.
    static func standardize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
