import Foundation

/// The process environment, passed in rather than read globally so tests run in parallel
/// without touching the real environment (Swift Testing runs tests concurrently).
public struct ProcessEnvironment: Sendable, Equatable {
    public var variables: [String: String]

    public init(_ variables: [String: String] = [:]) {
        self.variables = variables
    }

    public static func current() -> ProcessEnvironment {
        ProcessEnvironment(ProcessInfo.processInfo.environment)
    }

    /// Nil when unset; an empty string when set but empty (upstream overrides on presence).
    public subscript(name: String) -> String? { variables[name] }

    public var homeDirectory: String {
        if let home = variables["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }
}
