import Foundation

/// Opens the sign-in page. Injected so tests can play the browser.
public protocol BrowserLauncher: Sendable {
    /// Returns false when no browser could be started (the caller then prints the URL).
    func open(_ url: String) -> Bool
}

/// `xdg-open` when it is on `PATH` (desktop Linux); otherwise nothing, and the URL is printed.
public struct XDGBrowserLauncher: BrowserLauncher {
    let environment: ProcessEnvironment

    public init(environment: ProcessEnvironment) { self.environment = environment }

    public func open(_ url: String) -> Bool {
        guard let path = ExecutableSearch.find("xdg-open", environment: environment) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            return true
        } catch {
            return false
        }
    }
}

/// `PATH` lookup, as `exec.LookPath` does it.
public enum ExecutableSearch {
    public static func find(_ name: String, environment: ProcessEnvironment) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
