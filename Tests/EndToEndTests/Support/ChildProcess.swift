import Foundation

/// Runs a real binary with a bounded wait; output is collected, the child killed on timeout.
struct ChildProcess {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var timedOut: Bool
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    timeout: Duration = .seconds(60)) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Blocking reads run on their own threads: on the 2-core machine a blocked task would
        // take half of Swift's cooperative pool, which also runs the in-process stand-in server.
        async let stdoutData = Self.readToEnd(output.fileHandleForReading)
        async let stderrData = Self.readToEnd(errors.fileHandleForReading)
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        let stdout = await stdoutData
        let stderr = await stderrData
        return Result(status: process.terminationStatus, standardOutput: String(decoding: stdout, as: UTF8.self),
                      standardError: String(decoding: stderr, as: UTF8.self), timedOut: timedOut)
    }

    static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }
}
