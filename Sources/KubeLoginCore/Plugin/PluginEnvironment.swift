import Foundation

/// Everything `get-token` touches outside itself, injected so tests run without network,
/// browser, helper programs, real time or the real process environment.
public struct PluginEnvironment: Sendable {
    public var variables: ProcessEnvironment
    public var transport: any HTTPTransport
    public var browser: any BrowserLauncher
    public var commandRunner: any CommandRunner
    public var standardOutput: any TextSink
    public var standardError: any TextSink
    public var now: @Sendable () -> Date
    public var sleep: @Sendable (Duration) async throws -> Void
    public var verbosity: Int

    public init(variables: ProcessEnvironment, transport: any HTTPTransport, browser: any BrowserLauncher,
                commandRunner: any CommandRunner, standardOutput: any TextSink, standardError: any TextSink,
                now: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                verbosity: Int = 0) {
        self.variables = variables
        self.transport = transport
        self.browser = browser
        self.commandRunner = commandRunner
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.now = now
        self.sleep = sleep
        self.verbosity = verbosity
    }

    public var log: DiagnosticLog { DiagnosticLog(verbosity: verbosity, sink: standardError) }
}
