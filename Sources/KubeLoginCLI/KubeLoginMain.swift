import ArgumentParser
import Dispatch
import KubeLoginCore

/// The entry point `main.swift` calls: parse, run, and report failures as upstream does —
/// `Error: <message>` on stderr and exit code 1 (no usage text).
public enum KubeLoginMain {
    static let versionText = """
        kubelogin version
        git hash: \(KubeLoginVersion.version)
        Swift version: 6
        Build time: unknown
        Platform: linux/amd64
        """

    /// Runs `kubelogin` with `arguments` (without the program name) in this process.
    public static func main(_ arguments: [String]) async -> Int32 {
        await run(arguments, context: .process(arguments: arguments))
    }

    /// What `main.swift` calls: the synchronous cache-hit path first (no concurrency runtime,
    /// no argument parser), then the full run on the global executor.
    public static func mainBlocking(_ arguments: [String]) -> Int32 {
        let environment = ProcessEnvironment.current()
        if GetTokenFastPath.run(arguments, environment: environment, output: StandardOutput()) { return 0 }
        let result = ExitCodeBox()
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            result.value = await main(arguments)
            finished.signal()
        }
        finished.wait()
        return result.value
    }

    static func run(_ arguments: [String], context: CommandContext) async -> Int32 {
        let normalized = context.normalizer.arguments
        let command: any ParsableCommand
        do {
            command = try KubeLoginCommand.parseAsRoot(normalized)
        } catch {
            let exitCode = KubeLoginCommand.exitCode(for: error)
            if exitCode == .success {
                context.standardOutput.write(KubeLoginCommand.fullMessage(for: error) + "\n")
                return 0
            }
            context.standardError.write("Error: \(pflagStyle(KubeLoginCommand.message(for: error)))\n")
            return 1
        }
        do {
            try await CommandContext.$current.withValue(context) {
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    var syncCommand = command
                    try syncCommand.run()
                }
            }
            return 0
        } catch {
            let exitCode = KubeLoginCommand.exitCode(for: error)
            if exitCode == .success {
                context.standardOutput.write(KubeLoginCommand.fullMessage(for: error) + "\n")
                return 0
            }
            context.standardError.write("Error: \(message(for: error))\n")
            return 1
        }
    }

    private static func message(for error: any Error) -> String {
        if let error = error as? KubeLoginError { return error.message }
        return pflagStyle(KubeLoginCommand.message(for: error))
    }

    /// ArgumentParser's wording for unknown flags, in pflag's (`unknown flag: --x`).
    private static func pflagStyle(_ message: String) -> String {
        if message.hasPrefix("Unknown option '"), let end = message.dropFirst(16).firstIndex(of: "'") {
            return "unknown flag: " + message[message.index(message.startIndex, offsetBy: 16)..<end]
        }
        return message
    }
}

/// Carries the exit code out of the task `mainBlocking` waits for.
private final class ExitCodeBox: @unchecked Sendable {
    var value: Int32 = 1
}
