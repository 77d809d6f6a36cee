import Foundation

/// The browser and operating system a `User-Agent` names, in the words Entra's sign-in log uses
/// (`Chrome 120.0.0`, `Linux`). Recognises the common browsers and falls back to the first
/// product token (`python-requests 2.32.3`), so a CLI client shows up as itself.
public struct UserAgentDetails: Sendable, Hashable {
    public var browser: String?
    public var operatingSystem: String?

    public init(_ userAgent: String?) {
        guard let userAgent, !userAgent.isEmpty else { return }
        let agent = String(userAgent.prefix(512))
        browser = Self.browser(in: agent)
        operatingSystem = Self.operatingSystem(in: agent)
    }

    /// Products to look for, most specific first (Edge and Chrome both say `Safari`).
    private static let browsers: [(token: String, name: String)] = [
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("HeadlessChrome/", "Chrome"),
        ("Chromium/", "Chrome"), ("Chrome/", "Chrome"), ("Version/", "Safari"),
    ]

    private static func browser(in agent: String) -> String? {
        for (token, name) in browsers {
            if let range = agent.range(of: token) {
                let version = agent[range.upperBound...].prefix { $0.isNumber || $0 == "." }
                return version.isEmpty ? name : "\(name) \(version)"
            }
        }
        guard let first = agent.split(separator: " ").first else { return nil }
        let parts = first.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? "\(parts[0]) \(parts[1])" : String(first)
    }

    private static let systems: [(token: String, name: String)] = [
        ("Windows NT 10", "Windows 10"), ("Windows", "Windows"), ("Android", "Android"), ("iPhone", "Ios"),
        ("iPad", "Ios"), ("Mac OS X", "MacOs"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
    ]

    private static func operatingSystem(in agent: String) -> String? {
        systems.first { agent.contains($0.token) }?.name
    }
}
