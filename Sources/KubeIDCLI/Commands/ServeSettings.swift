import Foundation
import Logging

/// `serve`'s options resolved in one visible place: flag, then `KUBEID_*` environment, then default.
struct ServeSettings {
    var host: String
    var port: Int
    var issuerURL: String
    var tlsCertificate: String?
    var tlsKey: String?
    var trustedCAFile: String?
    var logLevel: Logger.Level
    /// `text` (default) or `json`: one JSON object per line.
    var logFormat = "text"
    /// How long audit events are kept; nil keeps them forever.
    var auditRetention: TimeInterval? = 30 * 86_400
    /// How long sign-in records are kept; nil keeps them forever.
    var signInRetention: TimeInterval? = 30 * 86_400
    /// Graph admin API budget per client and minute.
    var graphRequestsPerMinute = 600
    /// Where `/metrics` is served (plain HTTP); nil: no metrics.
    var metricsListen: (host: String, port: Int)?

    static func resolve(_ command: KubeIDCommand.Serve, environment: [String: String]) throws -> ServeSettings {
        func value(_ flag: String?, _ name: String) -> String? {
            flag ?? environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        let listen = value(command.listen, "KUBEID_LISTEN") ?? "127.0.0.1:8443"
        let (host, port) = try parseListen(listen)
        let issuerURL = try validateIssuerURL(value(command.issuerURL, "KUBEID_ISSUER_URL")
                                              ?? "https://\(host.contains(":") ? "[\(host)]" : host):\(port)")
        let levelName = value(command.logLevel, "KUBEID_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
            throw CLIError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        var settings = ServeSettings(host: host, port: port, issuerURL: issuerURL,
                                     tlsCertificate: value(command.tlsCertificate, "KUBEID_TLS_CERT"),
                                     tlsKey: value(command.tlsKey, "KUBEID_TLS_KEY"),
                                     trustedCAFile: value(command.trustedCAFile, "KUBEID_TRUSTED_CA_FILE"),
                                     logLevel: level)
        settings.auditRetention = try retention(value(command.auditRetentionDays.map(String.init), "KUBEID_AUDIT_RETENTION_DAYS"),
                                                flag: "--audit-retention") ?? settings.auditRetention
        settings.signInRetention = try retention(value(command.signInRetentionDays.map(String.init), "KUBEID_SIGNIN_RETENTION_DAYS"),
                                                 flag: "--signin-retention") ?? settings.signInRetention
        if let text = value(command.graphRateLimit.map(String.init), "KUBEID_GRAPH_RATE_LIMIT") {
            guard let limit = Int(text), (1...1_000_000).contains(limit) else {
                throw CLIError("--graph-rate-limit must be a number of requests per minute between 1 and 1000000")
            }
            settings.graphRequestsPerMinute = limit
        }
        if let format = value(command.logFormat, "KUBEID_LOG_FORMAT") {
            guard ["text", "json"].contains(format) else { throw CLIError("--log-format must be text or json") }
            settings.logFormat = format
        }
        if let text = value(command.metricsListen, "KUBEID_METRICS_LISTEN") {
            let (metricsHost, metricsPort) = try parseListen(text, flag: "--metrics-listen", example: "127.0.0.1:9464")
            guard (metricsHost, metricsPort) != (host, port) else {
                throw CLIError("--metrics-listen must differ from --listen")
            }
            settings.metricsListen = (metricsHost, metricsPort)
        }
        if (settings.tlsCertificate == nil) != (settings.tlsKey == nil) {
            throw CLIError("--tls-cert and --tls-key must be given together")
        }
        if let file = settings.trustedCAFile, !FileManager.default.isReadableFile(atPath: file) {
            throw CLIError("--trusted-ca-file \(file) cannot be read")
        }
        return settings
    }

    /// A retention in days: nil when not given, `.some(nil)` for 0 (keep forever).
    static func retention(_ text: String?, flag: String) throws -> TimeInterval?? {
        guard let text else { return nil }
        guard let days = Int(text), (0...3650).contains(days) else {
            throw CLIError("\(flag) must be a number of days between 0 (keep forever) and 3650")
        }
        return .some(days == 0 ? nil : TimeInterval(days) * 86_400)
    }

    /// `HOST:PORT` or `[IPv6]:PORT`.
    static func parseListen(_ text: String, flag: String = "--listen", example: String = "127.0.0.1:8443") throws -> (String, Int) {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(after: close)...].drop { $0 == ":" }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            throw CLIError("\(flag) must be HOST:PORT, e.g. \(example)")
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else {
            throw CLIError("\(flag) must be HOST:PORT with a port between 1 and 65535, got '\(text)'")
        }
        return (String(host), port)
    }

    /// The issuer URL must be https with a host and no query or fragment (MSAL, go-oidc and
    /// kube-apiserver all insist), and must not contain "token": MSAL Go derives the device-code
    /// URL by replacing every "token" in the token endpoint URL.
    static func validateIssuerURL(_ text: String) throws -> String {
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        guard let parsed = URLComponents(string: url), parsed.scheme == "https", let host = parsed.host, !host.isEmpty,
              parsed.query == nil, parsed.fragment == nil, parsed.user == nil else {
            throw CLIError("--issuer-url must be an https URL with a host and no query, e.g. https://idp.example.com")
        }
        guard !url.lowercased().contains("token") else {
            throw CLIError("--issuer-url must not contain 'token' (MSAL Go rewrites every 'token' in the token endpoint URL)")
        }
        return url
    }

    struct TLSFiles {
        var certificate: String
        var key: String
        /// The CA file clients must trust, when kubeid generated the certificate.
        var generatedCA: String?
    }

    func tlsFiles(dataDirectory: DataDirectory) throws -> TLSFiles {
        if let tlsCertificate, let tlsKey {
            return TLSFiles(certificate: tlsCertificate, key: tlsKey)
        }
        let material = LocalTLSMaterial(directory: dataDirectory.tlsDirectory)
        var hosts = [host]
        if let issuerHost = URLComponents(string: issuerURL)?.host { hosts.append(issuerHost) }
        try material.ensure(hosts: hosts.filter { $0 != "0.0.0.0" && $0 != "::" })
        return TLSFiles(certificate: material.serverCertificatePath, key: material.serverKeyPath,
                        generatedCA: material.caCertificatePath)
    }
}
