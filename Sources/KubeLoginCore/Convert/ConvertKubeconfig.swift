import Foundation
import KubernetesTypes

/// `kubelogin convert-kubeconfig` (docs/kubelogin.md, convert-kubeconfig): convert the matching
/// users, then write each changed user back to the file it came from, re-serialised in full the way
/// client-go's `ModifyConfig` does. All or nothing: the first error stops the run before anything
/// is written, and nothing is written when nothing changed.
public struct ConvertKubeconfig: Sendable {
    public let options: TokenOptions
    public let context: String
    public let azureConfigDir: String
    public let rules: KubeconfigLoadingRules

    /// - Parameter options: as parsed, before environment overrides.
    public init(options: TokenOptions, context: String, azureConfigDir: String, rules: KubeconfigLoadingRules) {
        self.options = options
        self.context = context
        self.azureConfigDir = azureConfigDir
        self.rules = rules
    }

    /// Returns the files written (for logs and tests).
    @discardableResult
    public func run() throws -> [String] {
        let options = EnvironmentOverrides.apply(to: self.options, environment: rules.environment)
        try options.validate()
        let loaded = try rules.load()
        var targetUser = ""
        if !context.isEmpty {
            guard let found = loaded.context(named: context) else { throw KubeLoginError.noContext(context) }
            targetUser = found.user
        }
        let converter = KubeconfigConverter(options: options, azureConfigDir: azureConfigDir)
        var changes: [String: [(name: String, user: KubeconfigUser)]] = [:]
        var order: [String] = []
        for entry in loaded.users {
            if !targetUser.isEmpty && entry.name != targetUser { continue }
            guard KubeconfigConverter.isConvertible(entry.user) else { continue }
            let converted = try converter.convert(entry.user)
            guard converted != entry.user else { continue }
            let destination = entry.origin.isEmpty ? rules.defaultFile : entry.origin
            if changes[destination] == nil { order.append(destination) }
            changes[destination, default: []].append((entry.name, converted))
        }
        for path in order {
            var config = loaded.config(at: path) ?? Kubeconfig()
            for change in changes[path] ?? [] {
                config.setUser(KubeconfigPathRelativizer.relativize(change.user, kubeconfigPath: path), named: change.name)
            }
            try write(KubeconfigYAMLWriter.yaml(for: config), to: path)
        }
        return order
    }

    /// Replaces the file's content in place (keeping its inode, owner and mode, as
    /// `os.WriteFile` does); a new file gets mode 0600.
    private func write(_ text: String, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        if !FileManager.default.fileExists(atPath: path) {
            // Created 0600 by open itself: a kubeconfig may hold credentials.
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard descriptor >= 0 || errno == EEXIST else {
                throw KubeLoginError("unable to write kubeconfig \(path): \(String(cString: strerror(errno)))")
            }
            if descriptor >= 0 { close(descriptor) }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw KubeLoginError("unable to write kubeconfig \(path)")
        }
        defer { try? handle.close() }
        do {
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw KubeLoginError("unable to write kubeconfig \(path): \(error)")
        }
    }
}
