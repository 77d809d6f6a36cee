import Foundation
import KubeLoginCore

/// What commands need from outside, set by ``KubeLoginMain`` for the run (a task-local, so
/// tests can run commands in parallel with their own environment and captured output).
struct CommandContext: Sendable {
    var environment: ProcessEnvironment
    var normalizer: ArgumentNormalizer
    var standardOutput: any TextSink
    var standardError: any TextSink
    /// Builds what get-token uses to reach the network, browser and helper programs.
    var makePluginEnvironment: @Sendable (_ verbosity: Int) -> (PluginEnvironment, shutdown: @Sendable () async -> Void)

    @TaskLocal static var current = CommandContext.process(arguments: [])

    static func process(arguments: [String]) -> CommandContext {
        let environment = ProcessEnvironment.current()
        return CommandContext(environment: environment, normalizer: ArgumentNormalizer(arguments),
                              standardOutput: StandardOutput(), standardError: StandardError()) { verbosity in
            let transport = AsyncHTTPClientTransport(environment: environment)
            let plugin = PluginEnvironment(variables: environment, transport: transport,
                                           browser: XDGBrowserLauncher(environment: environment),
                                           commandRunner: ProcessCommandRunner(), standardOutput: StandardOutput(),
                                           standardError: StandardError(), verbosity: verbosity)
            return (plugin, { await transport.shutdown() })
        }
    }
}


