import Foundation

/// The real programs the end-to-end tests run: kubeid and kubelogin from this package's debug
/// build, and the system's kubectl. Tests skip (with a message) when one is missing.
enum EndToEndBinaries {
    /// The package root, found from this file's path (Tests/EndToEndTests/Support/…).
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var buildDirectory: String {
        ProcessInfo.processInfo.environment["KUBEID_E2E_BIN_DIR"] ?? repositoryRoot + "/.build/debug"
    }
    static var kubeid: String { buildDirectory + "/kubeid" }
    static var kubelogin: String { buildDirectory + "/kubelogin" }
    static let kubectl = "/usr/bin/kubectl"

    /// Nil when everything is there, else what is missing (used as the skip reason).
    static var missing: String? {
        let absent = [kubeid, kubelogin, kubectl].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        return absent.isEmpty ? nil : "missing binaries: \(absent.joined(separator: ", ")) (run `swift build` first)"
    }

    static var available: Bool { missing == nil }
}
