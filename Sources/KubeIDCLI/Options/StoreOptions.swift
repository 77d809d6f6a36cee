import ArgumentParser
import Foundation

/// Where the directory lives. Every command takes it; precedence is flag, then environment
/// (`KUBEID_DATA_DIR`), then the default `./.kubeid`.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (env KUBEID_DATA_DIR; default ./.kubeid).")
    var dataDirectory: String?

    func resolvedDataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let path = dataDirectory ?? environment["KUBEID_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./.kubeid"
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
