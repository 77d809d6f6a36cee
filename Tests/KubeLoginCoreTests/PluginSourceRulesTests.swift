import Foundation
import Testing

/// Rules about the plugin's sources that the compiler cannot check.
@Suite("plugin source rules")
struct PluginSourceRulesTests {
    static let sourcesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    static func swiftFiles(in target: String) throws -> [(name: String, text: String)] {
        let root = sourcesDirectory.appendingPathComponent(target)
        let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
        return try enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map {
            ($0, try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8))
        }
    }

    /// Shared state is guarded by `Mutex` (Synchronization), as in the issuer: the compiler then
    /// checks the guarded type, and no `@unchecked Sendable` is needed around a bare lock.
    @Test("the plugin uses Mutex, not NSLock", arguments: ["KubeLoginCore", "KubeLoginCLI", "kubelogin"])
    func noNSLock(target: String) throws {
        let files = try Self.swiftFiles(in: target)
        #expect(!files.isEmpty || target == "kubelogin")
        let offenders = files.filter { $0.text.contains("NSLock") }.map(\.name)
        #expect(offenders.isEmpty, "NSLock in \(offenders)")
    }

    /// `FileLock` is shared between `defer` and `deinit`; its state must be compiler-checked.
    @Test("FileLock and the HTTP transport are checked Sendable, not @unchecked")
    func checkedSendable() throws {
        let files = try Self.swiftFiles(in: "KubeLoginCore")
        for name in ["Cache/FileLock.swift", "HTTP/AsyncHTTPClientTransport.swift"] {
            let text = try #require(files.first { $0.name == name }?.text)
            #expect(!text.contains("@unchecked Sendable"), "\(name)")
        }
    }
}
