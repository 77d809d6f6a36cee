import Foundation

/// A `kubeid serve` process on a free loopback port with a fresh data directory, plus the
/// admin verbs the tests use. `stop()` (or deinit) kills it.
final class KubeIDServer: @unchecked Sendable {
    let dataDirectory: String
    let port: Int
    let process: Process
    var issuerURL: String { "https://127.0.0.1:\(port)" }
    var authorityHost: String { issuerURL + "/" }
    var certificateAuthorityFile: String { dataDirectory + "/tls/ca.crt" }

    private init(dataDirectory: String, port: Int, process: Process) {
        self.dataDirectory = dataDirectory
        self.port = port
        self.process = process
    }

    static func start(in directory: String) async throws -> KubeIDServer {
        let data = directory + "/kubeid-data"
        let port = try FreePort.pick()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: EndToEndBinaries.kubeid)
        process.arguments = ["serve", "--data-dir", data, "--listen", "127.0.0.1:\(port)"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let log = directory + "/kubeid-serve.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        let server = KubeIDServer(dataDirectory: data, port: port, process: process)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw EndToEndError("kubeid serve exited: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")") }
            if FileManager.default.fileExists(atPath: server.certificateAuthorityFile), FreePort.isListening(port) { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw EndToEndError("kubeid serve did not listen on \(port) within 60 s")
    }

    /// Runs an admin verb against the same data directory and parses its JSON output.
    func admin(_ arguments: [String]) async throws -> [String: Any] {
        let result = try await ChildProcess.run(EndToEndBinaries.kubeid, arguments + ["--data-dir", dataDirectory],
                                                environment: ProcessInfo.processInfo.environment, timeout: .seconds(60))
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] else {
            throw EndToEndError("kubeid \(arguments.joined(separator: " ")) failed: \(result.standardError)")
        }
        return object
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

struct EndToEndError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Loopback ports for child servers.
enum FreePort {
    static func pick() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw EndToEndError("cannot bind a loopback port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
