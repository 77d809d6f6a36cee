import Foundation

/// A child process whose output can be read while it runs (kubectl printing kubelogin's
/// device-code instructions), with stdin from a string. Pipes are drained by dedicated threads,
/// never by tasks of Swift's cooperative pool, which the in-process stand-in server needs.
final class StreamingChildProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var output = Data()
    private var errors = Data()
    private var finishedReads = 0

    init(_ executable: String, _ arguments: [String], environment: [String: String], input: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        if let input {
            let inputPipe = Pipe()
            process.standardInput = inputPipe
            try process.run()
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        drain(outputPipe.fileHandleForReading, isError: false)
        drain(errorPipe.fileHandleForReading, isError: true)
    }

    private func drain(_ handle: FileHandle, isError: Bool) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock {
                    if isError { errors.append(chunk) } else { output.append(chunk) }
                }
            }
            lock.withLock { finishedReads += 1 }
        }
    }

    var standardOutput: String { lock.withLock { String(decoding: output, as: UTF8.self) } }
    var standardError: String { lock.withLock { String(decoding: errors, as: UTF8.self) } }
    var isRunning: Bool { process.isRunning }

    /// Waits until `predicate` holds for stderr (returning its value) or the process ends.
    func waitForStandardError<T>(timeout: Duration, _ predicate: (String) -> T?) async throws -> T? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = predicate(standardError) { return value }
            if !process.isRunning { return predicate(standardError) }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Waits for the exit (killing the child after `timeout`) and for both pipes to drain.
    func finish(timeout: Duration) async throws -> ChildProcess.Result {
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
        while lock.withLock({ finishedReads }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
        return ChildProcess.Result(status: process.terminationStatus, standardOutput: standardOutput,
                                   standardError: standardError, timedOut: timedOut)
    }
}
