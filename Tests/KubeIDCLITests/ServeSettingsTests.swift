import ArgumentParser
import Foundation
@testable import KubeIDCLI
import Testing

@Suite("serve settings")
struct ServeSettingsTests {
    @Test(arguments: [("127.0.0.1:8443", "127.0.0.1", 8443), ("0.0.0.0:1", "0.0.0.0", 1),
                      ("localhost:65535", "localhost", 65535), ("[::1]:9443", "::1", 9443),
                      ("[fe80::1]:443", "fe80::1", 443)])
    func listenAddressesParse(_ text: String, _ host: String, _ port: Int) throws {
        let (parsedHost, parsedPort) = try ServeSettings.parseListen(text)
        #expect(parsedHost == host)
        #expect(parsedPort == port)
    }

    @Test(arguments: ["127.0.0.1", ":8443", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "host:https",
                      "[::1]", "[]:443", ""])
    func badListenAddressesAreRefused(_ text: String) {
        #expect(throws: CLIError.self) { try ServeSettings.parseListen(text) }
    }

    @Test(arguments: [("https://idp.example.com", "https://idp.example.com"),
                      ("https://idp.example.com/", "https://idp.example.com"),
                      ("https://127.0.0.1:8443//", "https://127.0.0.1:8443"),
                      ("https://idp.example.com/kubeid", "https://idp.example.com/kubeid")])
    func issuerURLsAreNormalised(_ text: String, _ expected: String) throws {
        #expect(try ServeSettings.validateIssuerURL(text) == expected)
    }

    @Test(arguments: ["http://x", "idp.example.com", "https://", "https://idp.example.com/?a=1",
                      "https://idp.example.com#f", "https://user@idp.example.com", "ftp://idp.example.com"])
    func nonHTTPSOrDecoratedIssuerURLsAreRefused(_ text: String) {
        let error = #expect(throws: CLIError.self) { try ServeSettings.validateIssuerURL(text) }
        #expect(error?.message.hasPrefix("--issuer-url must be an https URL") == true, "\(text)")
    }

    @Test(arguments: ["https://tokenhost", "https://idp.example.com/token", "https://TOKEN.example.com",
                      "https://idp.example.com/my-tokens"])
    func issuerURLsContainingTokenAreRefused(_ text: String) {
        let error = #expect(throws: CLIError.self) { try ServeSettings.validateIssuerURL(text) }
        #expect(error?.message.contains("must not contain 'token'") == true, "\(text)")
    }

    @Test func flagsWinOverEnvironmentWhichWinsOverDefaults() throws {
        let defaults = try ServeSettings.resolve(try KubeIDCommand.Serve.parse([]), environment: [:])
        #expect(defaults.host == "127.0.0.1")
        #expect(defaults.port == 8443)
        #expect(defaults.issuerURL == "https://127.0.0.1:8443")
        #expect(defaults.logLevel == .info)

        let environment = ["KUBEID_LISTEN": "0.0.0.0:9443", "KUBEID_ISSUER_URL": "https://idp.example.test/",
                           "KUBEID_LOG_LEVEL": "debug"]
        let fromEnvironment = try ServeSettings.resolve(try KubeIDCommand.Serve.parse([]), environment: environment)
        #expect(fromEnvironment.host == "0.0.0.0")
        #expect(fromEnvironment.port == 9443)
        #expect(fromEnvironment.issuerURL == "https://idp.example.test")
        #expect(fromEnvironment.logLevel == .debug)

        let flags = try ServeSettings.resolve(
            try KubeIDCommand.Serve.parse(["--listen", "[::1]:7443", "--log-level", "error"]),
            environment: ["KUBEID_LISTEN": "0.0.0.0:9443", "KUBEID_LOG_LEVEL": "debug"])
        #expect(flags.host == "::1")
        #expect(flags.port == 7443)
        #expect(flags.issuerURL == "https://[::1]:7443")
        #expect(flags.logLevel == .error)
    }

    @Test func auditRetentionDefaultsToThirtyDaysAndZeroKeepsForever() throws {
        func retention(_ arguments: [String], _ environment: [String: String] = [:]) throws -> TimeInterval? {
            try ServeSettings.resolve(try KubeIDCommand.Serve.parse(arguments), environment: environment).auditRetention
        }
        #expect(try retention([]) == 30 * 86_400)
        #expect(try retention([], ["KUBEID_AUDIT_RETENTION_DAYS": "7"]) == 7 * 86_400)
        #expect(try retention(["--audit-retention", "365"], ["KUBEID_AUDIT_RETENTION_DAYS": "7"]) == 365 * 86_400)
        #expect(try retention(["--audit-retention", "0"]) == nil)
        for bad in [(["--audit-retention=-1"], [:]), ([], ["KUBEID_AUDIT_RETENTION_DAYS": "forever"]),
                    (["--audit-retention", "4000"], [String: String]())] as [([String], [String: String])] {
            let error = #expect(throws: CLIError.self) { try retention(bad.0, bad.1) }
            #expect(error?.message.hasPrefix("--audit-retention must be a number of days") == true)
        }
    }

    @Test func tlsFilesComeInPairs() throws {
        for arguments in [["--tls-cert", "a"], ["--tls-key", "b"]] {
            let error = #expect(throws: CLIError.self) {
                try ServeSettings.resolve(try KubeIDCommand.Serve.parse(arguments), environment: [:])
            }
            #expect(error?.message == "--tls-cert and --tls-key must be given together")
        }
        let error = #expect(throws: CLIError.self) {
            try ServeSettings.resolve(try KubeIDCommand.Serve.parse(["--tls-cert", "a"]), environment: ["KUBEID_TLS_KEY": ""])
        }
        #expect(error != nil)
        let paired = try ServeSettings.resolve(try KubeIDCommand.Serve.parse(["--tls-cert", "a"]),
                                               environment: ["KUBEID_TLS_KEY": "b"])
        #expect(paired.tlsCertificate == "a")
        #expect(paired.tlsKey == "b")
    }

    @Test func anUnknownLogLevelIsRefused() {
        #expect(throws: CLIError.self) {
            try ServeSettings.resolve(try KubeIDCommand.Serve.parse(["--log-level", "loud"]), environment: [:])
        }
    }
}
