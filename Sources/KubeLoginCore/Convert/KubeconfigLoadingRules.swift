import Foundation
import KubernetesTypes

/// Finds and merges kubeconfig files the way kubectl (client-go's loading rules) does:
/// `--kubeconfig` alone if given (and it must exist), else the `KUBECONFIG` path list (missing
/// files skipped), else `~/.kube/config` (missing is fine: an empty config). When merging, the
/// first file that defines a name wins, and each user remembers the file it came from.
public struct KubeconfigLoadingRules: Sendable {
    public var explicitPath: String
    public var environment: ProcessEnvironment

    public init(explicitPath: String, environment: ProcessEnvironment) {
        self.explicitPath = explicitPath
        self.environment = environment
    }

    /// The files in precedence order (duplicates removed).
    public var precedence: [String] {
        if !explicitPath.isEmpty { return [explicitPath] }
        if let list = environment[EnvironmentVariable.kubeconfig], !list.isEmpty {
            var seen: Set<String> = []
            return list.split(separator: ":").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
        }
        return [environment.homeDirectory + "/.kube/config"]
    }

    /// Where an entry without an origin is written: the explicit file, else the first existing
    /// file of `KUBECONFIG` (or its last one if none exists), else `~/.kube/config`.
    public var defaultFile: String {
        let files = precedence
        if explicitPath.isEmpty, environment[EnvironmentVariable.kubeconfig].map({ !$0.isEmpty }) == true {
            return files.first { FileManager.default.fileExists(atPath: $0) } ?? files.last ?? ""
        }
        return files.first ?? ""
    }

    public func load() throws -> LoadedKubeconfigs {
        if !explicitPath.isEmpty, !FileManager.default.fileExists(atPath: explicitPath) {
            throw KubeLoginError("unable to load kubeconfig: stat \(explicitPath): no such file or directory")
        }
        var files: [(path: String, config: Kubeconfig)] = []
        var errors: [String] = []
        for path in precedence {
            guard let bytes = PrivateFiles.contents(of: path) else {
                if FileManager.default.fileExists(atPath: path) { errors.append("error loading config file \"\(path)\": permission denied") }
                continue
            }
            do {
                files.append((path, try KubeconfigYAMLReader.read(String(decoding: bytes, as: UTF8.self))))
            } catch {
                errors.append("error loading config file \"\(path)\": \(error)")
            }
        }
        if !errors.isEmpty {
            throw KubeLoginError("unable to load kubeconfig: " + (errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]"))
        }
        return LoadedKubeconfigs(files: files)
    }
}

/// The files that were read, and their merged view.
public struct LoadedKubeconfigs: Sendable {
    public let files: [(path: String, config: Kubeconfig)]

    /// Every user name → its entry in the first file that defines it.
    public var users: [(name: String, user: KubeconfigUser, origin: String)] {
        var seen: Set<String> = []
        var result: [(name: String, user: KubeconfigUser, origin: String)] = []
        for file in files {
            for named in file.config.users where seen.insert(named.name).inserted {
                result.append((named.name, named.user, file.path))
            }
        }
        return result.sorted { $0.name < $1.name }
    }

    /// The first definition of context `name`.
    public func context(named name: String) -> KubeconfigContext? {
        for file in files { if let context = file.config.context(named: name) { return context } }
        return nil
    }

    public func config(at path: String) -> Kubeconfig? { files.first { $0.path == path }?.config }
}
