import Foundation
import Testing

@Suite("kubeid audit")
struct AuditCommandTests {
    @Test(.timeLimit(.minutes(3)))
    func signInsOfTheServerAreListedAfterItStops() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"))
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let tenant = try #require(try await kubeid.json(["tenant", "create", "--name", "audited"]) as? [String: Any])
        let sp = try #require(try await kubeid.json(["sp", "create-for-rbac", "--tenant", "audited", "--name", "deployer"]) as? [String: Any])
        let appID = try #require(sp["appId"] as? String)
        let secret = try #require(sp["password"] as? String)

        let port = try freeLocalPort()
        let server = try RunningProcess(KubeID.binary, ["serve", "--data-dir", kubeid.dataDirectory,
                                                        "--listen", "127.0.0.1:\(port)", "--log-level", "warning"],
                                        environment: kubeid.environment, in: kubeid.scratch)
        var stopped = false
        defer { if !stopped { server.signal(SIGKILL) } }
        let ca = "\(kubeid.dataDirectory)/tls/ca.crt"
        let tokenURL = "https://127.0.0.1:\(port)/\(try #require(tenant["id"] as? String))/oauth2/v2.0/token"
        func requestToken(secret: String) async throws -> CLIResult {
            try await ProcessRunner.run(
                "/usr/bin/curl", ["--silent", "--max-time", "5", "--cacert", ca, tokenURL,
                                  "--data-urlencode", "grant_type=client_credentials", "--data-urlencode", "client_id=\(appID)",
                                  "--data-urlencode", "client_secret=\(secret)",
                                  "--data-urlencode", "scope=6dae42f8-4368-4678-94ff-3960e28e3630/.default"],
                environment: kubeid.environment, in: kubeid.scratch)
        }
        var issued: CLIResult?
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline, !server.hasExited {
            if FileManager.default.fileExists(atPath: ca), let attempt = try? await requestToken(secret: secret),
               attempt.stdout.contains("access_token") {
                issued = attempt
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        try #require(issued != nil, "no token from the server: \(server.stderr)")
        let refused = try await requestToken(secret: "wrong")
        #expect(refused.stdout.contains("AADSTS7000215"))

        // Stopped right away: the last batch is written on the way out.
        server.signal(SIGTERM)
        stopped = await server.exitStatus(within: .seconds(10)) == 0
        #expect(stopped, "stderr: \(server.stderr)")

        // Both sign-ins are in the sign-in log, newest first, in Graph's shape.
        let records = try #require(try await kubeid.json(["signin", "list", "--tenant", "audited", "--since", "10m"]) as? [[String: Any]])
        #expect(records.count == 2)
        #expect((records.first?["status"] as? [String: Any])?["errorCode"] as? Int == 7000215)
        #expect((records.last?["status"] as? [String: Any])?["errorCode"] as? Int == 0)
        #expect(records.allSatisfy { $0["appId"] as? String == appID && $0["isInteractive"] as? Bool == false })
        let failures = try #require(try await kubeid.json(["signin", "list", "--tenant", "audited", "--status", "failure"]) as? [[String: Any]])
        #expect(failures.count == 1)
        let id = try #require(failures.first?["id"] as? String)
        let shown = try #require(try await kubeid.json(["signin", "show", "--id", id]) as? [String: Any])
        #expect(shown["correlationId"] as? String == failures.first?["correlationId"] as? String)
        let paged = try await kubeid.run(["signin", "list", "--tenant", "audited", "--top", "1"])
        #expect(paged.status == 0 && paged.stderr.contains("--skip-token"))

        let table = try await kubeid.run(["signin", "list", "--tenant", "audited", "-o", "table"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("failure 7000215") && table.stdout.contains("Correlation id"))
        let bad = try await kubeid.run(["signin", "list", "--skip-token", "nonsense"])
        #expect(bad.status != 0 && bad.stderr.contains("--skip-token"))
        let signins = try await kubeid.run(["signin", "list"])
        #expect(!signins.stdout.contains(secret))
        let text = try await kubeid.run(["audit", "list"])
        #expect(!text.stdout.contains(secret))
    }

    @Test func badArgumentsAreClearErrors() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        _ = try await kubeid.json(["tenant", "create", "--name", "audited"])
        let since = try await kubeid.run(["audit", "list", "--since", "yesterday"])
        #expect(since.status == 1)
        #expect(since.stderr.hasPrefix("Error: --since must be an RFC 3339 time or an age"), "\(since.stderr)")
        let limit = try await kubeid.run(["audit", "list", "--limit", "0"])
        #expect(limit.status == 1)
        #expect(limit.stderr.hasPrefix("Error: --limit must be between 1 and 10000."), "\(limit.stderr)")
        let tenant = try await kubeid.run(["audit", "list", "--tenant", "nope"])
        #expect(tenant.status == 1)
        #expect(tenant.stderr.hasPrefix("Error: "), "\(tenant.stderr)")
        // RFC 3339 starts are accepted; one in the future lists nothing.
        let future = try #require(try await kubeid.json(["audit", "list", "--since", "2999-01-01T00:00:00Z"]) as? [Any])
        #expect(future.isEmpty)
        #expect(try await kubeid.json(["audit", "list", "--since", "2020-01-01T00:00:00.5Z"]) is [Any])
    }
}
