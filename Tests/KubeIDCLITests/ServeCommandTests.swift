import Foundation
import Testing

@Suite("kubeid serve")
struct ServeCommandTests {
    @Test(.timeLimit(.minutes(3)))
    func servesHTTPSWithItsOwnCAAndStopsCleanlyOnSIGTERM() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"))
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let port = try freeLocalPort()
        let server = try RunningProcess(KubeID.binary, ["serve", "--data-dir", kubeid.dataDirectory,
                                                        "--listen", "127.0.0.1:\(port)", "--log-level", "warning"],
                                        environment: kubeid.environment, in: kubeid.scratch)
        var stopped = false
        defer { if !stopped { server.signal(SIGKILL) } }

        let ca = "\(kubeid.dataDirectory)/tls/ca.crt"
        var health: CLIResult?
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline, !server.hasExited {
            if FileManager.default.fileExists(atPath: ca) {
                let attempt = try await ProcessRunner.run(
                    "/usr/bin/curl", ["--silent", "--show-error", "--fail", "--max-time", "5", "--cacert", ca,
                                      "https://127.0.0.1:\(port)/healthz"],
                    environment: kubeid.environment, in: kubeid.scratch)
                if attempt.status == 0 {
                    health = attempt
                    break
                }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let healthz = try #require(health, "server never became healthy: \(server.stderr)")
        #expect(healthz.stdout == #"{"status":"ok"}"#)

        // The JWKS answers over the same TLS.
        let keys = try await ProcessRunner.run(
            "/usr/bin/curl", ["--silent", "--fail", "--max-time", "5", "--cacert", ca,
                              "https://127.0.0.1:\(port)/common/discovery/v2.0/keys"],
            environment: kubeid.environment, in: kubeid.scratch)
        #expect(keys.status == 0)
        #expect(keys.stdout.contains(#""use":"sig""#))
        #expect(!keys.stdout.contains(#""d":"#))

        let tls = "\(kubeid.dataDirectory)/tls"
        #expect(try posixMode(of: tls) == 0o700)
        #expect(try posixMode(of: "\(tls)/ca.key") == 0o600)
        #expect(try posixMode(of: "\(tls)/server.key") == 0o600)
        #expect(try posixMode(of: "\(tls)/ca.crt") == 0o644)
        #expect(server.stderr.contains("clients must trust the CA certificate \(ca)"))

        server.signal(SIGTERM)
        let status = await server.exitStatus(within: .seconds(10))
        stopped = status != nil
        #expect(status == 0, "stderr: \(server.stderr)")
        #expect(server.process.terminationReason == .exit)
    }

    @Test func anHTTPIssuerURLIsRefused() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let result = try await kubeid.run(["serve", "--issuer-url", "http://x"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: --issuer-url must be an https URL"), "\(result.stderr)")
        // Refused before anything is created.
        #expect(!FileManager.default.fileExists(atPath: kubeid.dataDirectory))
    }

    @Test func anIssuerURLContainingTokenIsRefused() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let result = try await kubeid.run(["serve", "--issuer-url", "https://tokenhost"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: --issuer-url must not contain 'token'"), "\(result.stderr)")
    }

    @Test func aTLSCertificateWithoutItsKeyIsRefused() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let result = try await kubeid.run(["serve", "--tls-cert", "a"])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: --tls-cert and --tls-key must be given together\n")
    }

    @Test func aBadListenAddressIsRefused() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let result = try await kubeid.run(["serve", "--listen", "127.0.0.1"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Error: --listen must be HOST:PORT"), "\(result.stderr)")
    }
}
