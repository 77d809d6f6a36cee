import Foundation
import Testing

/// What a finished `kubeid` run printed and how it exited.
struct CLIResult: Sendable {
    var status: Int32
    var reason: Process.TerminationReason
    var stdout: String
    var stderr: String

    /// stdout parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }
}

/// Runs the real `kubeid` binary, the way an operator does.
struct KubeID: Sendable {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = repositoryRoot.appendingPathComponent(".build/debug/kubeid").path

    /// A fresh, not yet existing data directory and a private HOME.
    let scratch: URL
    var dataDirectory: String { scratch.appendingPathComponent("data").path }
    var environment: [String: String] { ["PATH": "/usr/bin:/bin", "HOME": scratch.appendingPathComponent("home").path] }

    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary),
                     "build kubeid first: \(Self.binary) is missing")
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kubeid-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("home"), withIntermediateDirectories: true)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// `kubeid <arguments> --data-dir <scratch>/data`.
    func run(_ arguments: [String], dataDir: Bool = true) async throws -> CLIResult {
        try await ProcessRunner.run(Self.binary, arguments + (dataDir ? ["--data-dir", dataDirectory] : []),
                                    environment: environment, in: scratch)
    }

    /// Runs a command that must succeed and returns its stdout as JSON.
    func json(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Any {
        let result = try await run(arguments)
        try #require(result.status == 0, "kubeid \(arguments.joined(separator: " ")): \(result.stderr)",
                     sourceLocation: sourceLocation)
        return try result.json()
    }
}

enum ProcessRunner {
    /// Runs a process to completion; output goes through files so a chatty child never blocks on a pipe.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    in directory: URL) async throws -> CLIResult {
        let running = try RunningProcess(executable, arguments, environment: environment, in: directory)
        let status = await running.exitStatus()
        return CLIResult(status: status, reason: running.process.terminationReason,
                         stdout: running.stdout, stderr: running.stderr)
    }
}

/// A started child process whose exit can be awaited (with a deadline).
final class RunningProcess: @unchecked Sendable {
    let process = Process()
    private let outputFile: URL
    private let errorFile: URL
    private let exit: Task<Int32, Never>

    init(_ executable: String, _ arguments: [String], environment: [String: String], in directory: URL) throws {
        let label = UUID().uuidString
        outputFile = directory.appendingPathComponent("stdout-\(label)")
        errorFile = directory.appendingPathComponent("stderr-\(label)")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            continuation.yield(finished.terminationStatus)
            continuation.finish()
        }
        try process.run()
        exit = Task {
            for await status in stream { return status }
            return -1
        }
    }

    var stdout: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }
    var hasExited: Bool { !process.isRunning }

    func exitStatus() async -> Int32 {
        await exit.value
    }

    /// The exit status, or nil when the process was still running at the deadline (it is then killed).
    func exitStatus(within timeout: Duration) async -> Int32? {
        let pid = process.processIdentifier
        return await withTaskGroup(of: Int32?.self) { group in
            group.addTask { await self.exit.value }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if Task.isCancelled { return nil }
                kill(pid, SIGKILL)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }
}

/// A TCP port that was free a moment ago on 127.0.0.1.
func freeLocalPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(descriptor >= 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    try #require(bound == 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    try #require(named == 0)
    return Int(UInt16(bigEndian: address.sin_port))
}

func posixMode(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

extension KubeID {
    /// Starts `kubeid serve` on a free loopback port and returns once it answers HTTPS (its
    /// signal handlers are installed by then); the caller stops it.
    func startServe(_ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunningProcess {
        let port = try freeLocalPort()
        let server = try RunningProcess(Self.binary, ["serve", "--data-dir", dataDirectory, "--listen", "127.0.0.1:\(port)"]
                                            + arguments, environment: environment, in: scratch)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, !server.hasExited {
            let probe = try await ProcessRunner.run("/usr/bin/curl", ["--silent", "--insecure", "--max-time", "2",
                                                                      "https://127.0.0.1:\(port)/healthz"],
                                                    environment: environment, in: scratch)
            if probe.status == 0 { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        if !server.hasExited { server.signal(SIGKILL) }
        Issue.record("serve did not come up: \(server.stderr)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}
