import Foundation

/// Runs a helper program (`az`, `azd`) and collects its output; cancellation (the `--timeout`
/// deadline) terminates it. Injected so tests need no such programs.
public protocol CommandRunner: Sendable {
    func run(executable: String, arguments: [String], environment: ProcessEnvironment) async throws -> CommandResult
}

public struct CommandResult: Sendable, Equatable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String

    public init(status: Int32, standardOutput: String, standardError: String) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

public struct ProcessCommandRunner: CommandRunner {
    public init() {}

    public func run(executable: String, arguments: [String], environment: ProcessEnvironment) async throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment.variables
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let box = ProcessBox(process)
        return try await withTaskCancellationHandler {
            // Read both pipes to the end before waiting, so a chatty child cannot block on a full
            // pipe; the blocking calls get their own threads, not Swift's cooperative pool.
            async let out = Self.onThread { output.fileHandleForReading.readDataToEndOfFile() }
            async let err = Self.onThread { errors.fileHandleForReading.readDataToEndOfFile() }
            let (stdout, stderr) = await (out, err)
            await Self.onThread { process.waitUntilExit() }
            try Task.checkCancellation()
            return CommandResult(status: process.terminationStatus, standardOutput: String(decoding: stdout, as: UTF8.self),
                                 standardError: String(decoding: stderr, as: UTF8.self))
        } onCancel: {
            box.terminate()
        }
    }
}

extension ProcessCommandRunner {
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }
}

private final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
    func terminate() { if process.isRunning { process.terminate() } }
}
