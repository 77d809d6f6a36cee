import Foundation

/// The headless-Chromium driver of the interop tests (`Tests/Interop/device_login.py`, Selenium
/// from `Tests/Interop/.venv`, which `Tests/Interop/setup-venv.sh` creates and `make test` runs
/// first), used to complete device-code sign-ins that kubelogin starts under kubectl.
enum BrowserDriver {
    static var interopDirectory: String { EndToEndBinaries.repositoryRoot + "/Tests/Interop" }
    static var python: String { interopDirectory + "/.venv/bin/python" }

    static var missing: String? {
        var absent: [String] = []
        if !FileManager.default.isExecutableFile(atPath: python) { absent.append("\(python) (run Tests/Interop/setup-venv.sh)") }
        for binary in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.isExecutableFile(atPath: binary) {
            absent.append(binary)
        }
        return absent.isEmpty ? nil : "browser driver missing: \(absent.joined(separator: ", "))"
    }

    static var available: Bool { missing == nil }

    /// Opens `url`, enters `code`, signs in as `username`, confirms. Throws with the driver's
    /// output when any page differs from what a person would see.
    static func approve(url: String, code: String, username: String, password: String, name: String,
                        workDirectory: String) async throws {
        let passwordFile = workDirectory + "/password-\(UUID().uuidString)"
        try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: passwordFile) }
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        let result = try await ChildProcess.run(python, [interopDirectory + "/device_login.py", "--url", url, "--code", code,
                                                         "--username", username, "--password-file", passwordFile, "--name", name],
                                                environment: environment, timeout: .seconds(120))
        guard result.status == 0 else {
            throw EndToEndError("browser driver failed (\(result.status)): \(result.standardOutput)\n\(result.standardError)")
        }
    }

    /// Signs `username` in with MSAL's device flow as the Graph Command Line Tools client and
    /// posts a selfActivate (or selfDeactivate) request through msgraph-sdk
    /// (`Tests/Interop/pim_activate.py`). Returns the created request as the SDK read it.
    static func selfActivate(base: String, tenantID: String, certificateAuthority: String, username: String, password: String,
                             groupID: String, seconds: Int, justification: String?, deactivate: Bool = false,
                             workDirectory: String) async throws -> [String: Any] {
        let passwordFile = workDirectory + "/password-\(UUID().uuidString)"
        try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: passwordFile) }
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        var arguments = [interopDirectory + "/pim_activate.py", "--base", base, "--tenant", tenantID, "--ca", certificateAuthority,
                         "--username", username, "--password-file", passwordFile, "--group", groupID,
                         "--duration-seconds", String(seconds), "--name", "e2e-pim-\(deactivate ? "deactivate" : "activate")"]
        if let justification { arguments += ["--justification", justification] }
        if deactivate { arguments.append("--deactivate") }
        let result = try await ChildProcess.run(python, arguments, environment: environment, timeout: .seconds(150))
        guard result.status == 0,
              let line = result.standardOutput.split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw EndToEndError("msgraph-sdk activation failed (\(result.status)): \(result.standardOutput)\n\(result.standardError)")
        }
        return object
    }

    /// Activates (or deactivates) the group on kubeid's `/pim` page as `username`
    /// (`Tests/Interop/pim_page_activate.py`); returns what the page said (the end, or "deactivated").
    static func pimPage(base: String, tenant: String, username: String, password: String, groupID: String,
                        justification: String, deactivate: Bool = false, workDirectory: String) async throws -> String {
        let passwordFile = workDirectory + "/password-\(UUID().uuidString)"
        try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: passwordFile) }
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        var arguments = [interopDirectory + "/pim_page_activate.py", "--base", base, "--tenant", tenant, "--username", username,
                         "--password-file", passwordFile, "--group", groupID, "--justification", justification,
                         "--name", "e2e-pim-page-\(deactivate ? "deactivate" : "activate")"]
        if deactivate { arguments.append("--deactivate") }
        let result = try await ChildProcess.run(python, arguments, environment: environment, timeout: .seconds(120))
        guard result.status == 0 else {
            throw EndToEndError("/pim page driver failed (\(result.status)): \(result.standardOutput)\n\(result.standardError)")
        }
        return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
