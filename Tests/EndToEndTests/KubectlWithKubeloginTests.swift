import Foundation
import Testing

/// The real kubectl runs our kubelogin against a live kubeid and an API-server stand-in that
/// accepts only tokens verifying against kubeid's JWKS for the AKS server app.
@Suite("kubectl + kubelogin + kubeid", .serialized, .enabled(if: EndToEndBinaries.available, "\(EndToEndBinaries.missing ?? "")"))
struct KubectlWithKubeloginTests {
    @Test("spn with a secret: convert, kubectl get nodes, then again from cache with the issuer stopped")
    func servicePrincipalSecret() async throws {
        let scenario = try await KubectlScenario.make()
        do {
            try scenario.writeLegacyKubeconfig(clientID: scenario.secretClientID)
            let convert = try await scenario.kubelogin([
                "convert-kubeconfig", "--kubeconfig", scenario.kubeconfig, "-l", "spn", "--client-secret", scenario.clientSecret,
                "--authority-host", scenario.issuer.authorityHost, "--disable-instance-discovery", "--cache-dir", scenario.cacheDirectory,
            ])
            try #require(convert.status == 0, "\(convert.standardError)")
            let first = try await scenario.kubectl(["get", "nodes"])
            #expect(first.status == 0, "\(first.standardError)")
            #expect(first.standardOutput.contains("standin-node-1"))
            let authenticated = scenario.apiServer.counters.authenticatedRequests
            #expect(authenticated > 0)
            #expect(scenario.apiServer.counters.rejectedRequests == 0)

            scenario.issuer.stop()
            let second = try await scenario.kubectl(["get", "nodes"])
            #expect(second.status == 0, "from cache without the issuer: \(second.standardError)")
            #expect(second.standardOutput.contains("standin-node-1"))
            #expect(scenario.apiServer.counters.authenticatedRequests > authenticated)
        } catch {
            Issue.record(error)
        }
        await scenario.tearDown()
    }

    @Test("spn with a certificate (PEM with key and certificate)")
    func servicePrincipalCertificate() async throws {
        let scenario = try await KubectlScenario.make()
        do {
            try scenario.writeLegacyKubeconfig(clientID: scenario.certificateClientID)
            let convert = try await scenario.kubelogin([
                "convert-kubeconfig", "--kubeconfig", scenario.kubeconfig, "-l", "spn", "--client-certificate", scenario.certificateFile,
                "--authority-host", scenario.issuer.authorityHost, "--disable-instance-discovery", "--cache-dir", scenario.cacheDirectory,
            ])
            try #require(convert.status == 0, "\(convert.standardError)")
            let first = try await scenario.kubectl(["get", "nodes"])
            #expect(first.status == 0, "\(first.standardError)")
            #expect(first.standardOutput.contains("standin-node-1"))
            scenario.issuer.stop()
            let second = try await scenario.kubectl(["get", "nodes"])
            #expect(second.status == 0, "from cache without the issuer: \(second.standardError)")
        } catch {
            Issue.record(error)
        }
        await scenario.tearDown()
    }

    @Test("an exec block with apiVersion v1 (KUBERNETES_EXEC_INFO v1) works with kubectl")
    func execCredentialV1() async throws {
        let scenario = try await KubectlScenario.make()
        do {
            try scenario.writeLegacyKubeconfig(clientID: scenario.secretClientID)
            let text = try String(contentsOfFile: scenario.kubeconfig, encoding: .utf8)
            let userStart = try #require(text.range(of: "users:"))
            let v1User = """
            users:
            - name: aad-user
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  interactiveMode: Never
                  command: kubelogin
                  args: [get-token, --login, spn, --server-id, \(KubectlScenario.aksServerAppID), --client-id, \(scenario.secretClientID),
                         --tenant-id, \(scenario.tenantID), --client-secret, "\(scenario.clientSecret)", --authority-host, "\(scenario.issuer.authorityHost)",
                         --disable-instance-discovery, --cache-dir, \(scenario.cacheDirectory)]
            """
            try (String(text[..<userStart.lowerBound]) + v1User).write(toFile: scenario.kubeconfig, atomically: true, encoding: .utf8)
            let result = try await scenario.kubectl(["get", "nodes"])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains("standin-node-1"))
        } catch {
            Issue.record(error)
        }
        await scenario.tearDown()
    }

    @Test("20 parallel get-token runs with an expired entry: one acquisition, 20 identical valid tokens")
    func parallelRunsShareOneAcquisition() async throws {
        let scenario = try await KubectlScenario.make()
        do {
            let arguments = ["get-token", "-l", "spn", "--server-id", KubectlScenario.aksServerAppID, "--client-id", scenario.secretClientID,
                             "--client-secret", scenario.clientSecret, "-t", scenario.tenantID, "--authority-host", scenario.issuer.authorityHost,
                             "--disable-instance-discovery", "--cache-dir", scenario.cacheDirectory]
            let seed = try await scenario.kubelogin(arguments)
            #expect(seed.status == 0, "\(seed.standardError)")
            let oldToken = try Self.token(in: seed.standardOutput)
            // Age the one entry so every run finds it expired.
            let tokens = scenario.cacheDirectory + "/tokens"
            let entryName = try #require(try FileManager.default.contentsOfDirectory(atPath: tokens).first { $0.hasSuffix(".json") })
            let entryPath = tokens + "/" + entryName
            var entry = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: entryPath))) as? [String: Any])
            entry["expiresOn"] = Int(Date().timeIntervalSince1970) - 10
            try JSONSerialization.data(withJSONObject: entry).write(to: URL(fileURLWithPath: entryPath))

            let results = try await withThrowingTaskGroup(of: ChildProcess.Result.self) { group in
                for _ in 0..<20 { group.addTask { try await scenario.kubelogin(arguments) } }
                return try await group.reduce(into: [ChildProcess.Result]()) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.standardError).filter { !$0.isEmpty })")
            let printed = try results.map { try Self.token(in: $0.standardOutput) }
            #expect(Set(printed).count == 1, "every run prints the one token the single refresh produced")
            #expect(printed.first != oldToken)
            let valid = await scenario.authenticator.authenticate(bearerToken: printed.first)
            #expect(valid != nil)
        } catch {
            Issue.record(error)
        }
        await scenario.tearDown()
    }

    @Test("devicecode with kubectl, the code completed by the headless-browser driver, then again from cache",
          .enabled(if: BrowserDriver.available, "\(BrowserDriver.missing ?? "")"))
    func deviceCode() async throws {
        let scenario = try await KubectlScenario.make()
        do {
            let password = "Device-code-e2e-2026!"
            let create = try StreamingChildProcess(
                EndToEndBinaries.kubeid,
                ["user", "create", "--tenant", scenario.tenantID, "--user-principal-name", "dana@e2e.test", "--display-name", "Dana",
                 "--password-stdin", "--data-dir", scenario.issuer.dataDirectory],
                environment: scenario.childEnvironment, input: password + "\n")
            let created = try await create.finish(timeout: .seconds(60))
            #expect(created.status == 0, "\(created.standardError)")

            // The AKS public client signs developers in; convert the legacy azure auth-provider user.
            try scenario.writeLegacyKubeconfig(clientID: KubectlScenario.aksClientAppID)
            let convert = try await scenario.kubelogin([
                "convert-kubeconfig", "--kubeconfig", scenario.kubeconfig, "-l", "devicecode",
                "--authority-host", scenario.issuer.authorityHost, "--disable-instance-discovery", "--cache-dir", scenario.cacheDirectory,
            ])
            try #require(convert.status == 0, "\(convert.standardError)")

            let kubectl = try StreamingChildProcess(EndToEndBinaries.kubectl,
                                                    ["--kubeconfig", scenario.kubeconfig, "--request-timeout", "60s", "get", "nodes"],
                                                    environment: scenario.childEnvironment)
            let prompt = try await kubectl.waitForStandardError(timeout: .seconds(60)) { text -> (String, String)? in
                guard let url = text.firstMatch(of: /open the page (\S+)/)?.1,
                      let code = text.firstMatch(of: /enter the code ([A-Z0-9-]+)/)?.1 else { return nil }
                return (String(url), String(code))
            }
            let (url, code) = try #require(prompt, "kubelogin printed no device-code prompt on stderr")
            #expect(url == scenario.issuer.issuerURL + "/devicelogin")
            try await BrowserDriver.approve(url: url, code: code, username: "dana@e2e.test", password: password,
                                            name: "e2e-kubelogin-devicecode", workDirectory: scenario.directory)
            let first = try await kubectl.finish(timeout: .seconds(180))
            #expect(first.status == 0, "\(first.standardError)")
            #expect(first.standardOutput.contains("standin-node-1"))
            #expect(first.standardError.contains("To sign in, use a web browser to open the page"))

            // A second kubectl is served from kubelogin's cache: no prompt, and the issuer is not needed.
            scenario.issuer.stop()
            let second = try await scenario.kubectl(["get", "nodes"])
            #expect(second.status == 0, "from cache without the issuer: \(second.standardError)")
            #expect(second.standardOutput.contains("standin-node-1"))
            #expect(!second.standardError.contains("enter the code"))
        } catch {
            Issue.record(error)
        }
        await scenario.tearDown()
    }

    static func token(in output: String) throws -> String {
        guard let line = output.split(separator: "\n").first,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let status = object["status"] as? [String: Any], let token = status["token"] as? String else {
            throw EndToEndError("no ExecCredential in: \(output.prefix(200))")
        }
        return token
    }
}
