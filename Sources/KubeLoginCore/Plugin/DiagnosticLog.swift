import Foundation

/// Where text for a person goes: stderr in the plugin, a buffer in tests. kubectl reads stdout,
/// so prompts and logs must never go there.
public protocol TextSink: Sendable {
    func write(_ text: String)
}

/// The process's standard error (unbuffered writes, so prompts appear at once).
public struct StandardError: TextSink {
    public init() {}
    public func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// The process's standard output: only the ExecCredential line is ever written here.
public struct StandardOutput: TextSink {
    public init() {}
    public func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// klog-style verbosity (`-v N`) for diagnostics on stderr. Messages name endpoints and
/// decisions, never token or secret values (at no verbosity does a token reach the log).
public struct DiagnosticLog: Sendable {
    public let verbosity: Int
    public let sink: any TextSink

    public init(verbosity: Int, sink: any TextSink) {
        self.verbosity = verbosity
        self.sink = sink
    }

    public func verbose(_ level: Int, _ message: @autoclosure () -> String) {
        guard verbosity >= level else { return }
        sink.write("I] \(message())\n")
    }

    public func warning(_ message: String) {
        sink.write("W] \(message)\n")
    }
}
