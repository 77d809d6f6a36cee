import Cryptography
import Foundation
import Testing
@testable import KubeLoginCore

@Suite("token cache: files, permissions, lock")
struct TokenCacheTests {
    static let serverID = "6dae42f8-4368-4678-94ff-3960e28e3630"
    static let key = TokenCacheKey(authority: "idp.test", tenant: FakeEntra.tenant, clientID: "client-1",
                                   resource: "\(serverID)/.default", loginMode: .deviceCode)

    func deviceOptions(_ directory: String) -> TokenOptions {
        var options = TokenOptions(defaultCacheDir: directory)
        options.serverID = Self.serverID
        options.clientID = "client-1"
        options.tenantID = FakeEntra.tenant
        options.authorityHost = FakeEntra.host
        options.disableInstanceDiscovery = true
        return options
    }

    @Test("a new cache directory is 0700, entries, locks and auth.json are 0600")
    func permissions() async throws {
        let parent = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let directory = parent + "/cache/kubelogin/"
        let fake = FakeEntra { _ in (200, FakeEntra.tokenJSON(access: "a", refresh: "r", user: "alice")) }
        try await GetToken(options: deviceOptions(directory), environment: .test(transport: fake, stdout: CapturedText(), stderr: CapturedText())).run()
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        let cache = FileTokenCache(cacheDirectory: directory)
        #expect(try mode(parent + "/cache/kubelogin") == 0o700)
        #expect(try mode(cache.directory) == 0o700)
        #expect(try mode(cache.entryPath(for: Self.key)) == 0o600)
        #expect(try mode(cache.lockPath(for: Self.key)) == 0o600)
        #expect(try mode(directory + "auth.json") == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cache.directory).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("20 concurrent runs with an expired entry: exactly one refresh, 20 identical valid tokens")
    func concurrentRefresh() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = FileTokenCache(cacheDirectory: directory)
        try cache.write(TokenCacheEntry(key: Self.key, token: AcquiredToken(
            accessToken: "expired", expiresOn: Int64(Date().timeIntervalSince1970) - 60, refreshToken: "rt-1")))
        let refreshes = Counter()
        let fake = FakeEntra { form in
            guard form["grant_type"] == "refresh_token", form["refresh_token"] == "rt-1" else {
                return (400, FakeEntra.errorJSON("invalid_grant", code: 70008))
            }
            Thread.sleep(forTimeInterval: 0.2)  // a slow server widens the race window
            return (200, FakeEntra.tokenJSON(access: "refreshed-\(refreshes.next())", refresh: "rt-2", user: "alice"))
        }
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    let stdout = CapturedText()
                    try await GetToken(options: deviceOptions(directory), environment: .test(transport: fake, stdout: stdout, stderr: CapturedText())).run()
                    return stdout.text
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(refreshes.value == 1)
        #expect(fake.tokenRequests.count == 1)
        #expect(outputs.count == 20)
        #expect(outputs.allSatisfy { $0.contains(#""token":"refreshed-0""#) })
    }

    @Test("a lock held by a process that is killed does not block the next run")
    func killedHolder() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = FileTokenCache(cacheDirectory: directory)
        try cache.prepareDirectory()
        let holder = Process()
        // The shell takes the lock with flock(1) on fd 9, then becomes `sleep`: the lock then
        // belongs to exactly one process, which the test kills.
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9>>\"$0\" && flock 9 && exec sleep 60", cache.lockPath(for: Self.key)]
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        // Wait until the other process really holds the lock.
        let probeDeadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < probeDeadline {
            let held = try? await FileLock.acquire(path: cache.lockPath(for: Self.key), deadline: .now)
            if let held { held.release(); try await Task.sleep(for: .milliseconds(20)) } else { break }
        }
        await #expect(throws: KubeLoginError.self) {
            _ = try await FileLock.acquire(path: cache.lockPath(for: Self.key), deadline: .now + .milliseconds(300))
        }
        kill(holder.processIdentifier, SIGKILL)
        let started = ContinuousClock.now
        // Not a speed check: a lock that stayed held would make acquire throw at its 10 s
        // deadline (the holder sleeps 60 s). The margin is wide because a loaded CI machine
        // running the whole suite in parallel delays the poll's wake-ups by seconds.
        let lock = try await FileLock.acquire(path: cache.lockPath(for: Self.key), deadline: .now + .seconds(10))
        lock.release()
        #expect(ContinuousClock.now - started < .seconds(9))
    }

    @Test("a cache hit reads without taking the lock (no wait behind another run's prompt)")
    func hitDoesNotWaitForLock() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = FileTokenCache(cacheDirectory: directory)
        try cache.write(TokenCacheEntry(key: Self.key, token: AcquiredToken(
            accessToken: "valid", expiresOn: Int64(Date().timeIntervalSince1970) + 3600, refreshToken: "rt")))
        let held = try await FileLock.acquire(path: cache.lockPath(for: Self.key), deadline: .now + .seconds(1))
        defer { held.release() }
        let fake = FakeEntra { _ in (500, "") }
        let stdout = CapturedText()
        var options = deviceOptions(directory)
        options.timeout = .seconds(2)
        try await GetToken(options: options, environment: .test(transport: fake, stdout: stdout, stderr: CapturedText())).run()
        #expect(stdout.text.contains(#""token":"valid""#))
        #expect(fake.requests.isEmpty)
    }

    @Test("auth.json: upstream's exact bytes, read case-insensitively")
    func authenticationRecord() throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let record = AuthenticationRecord(authority: "login.microsoftonline.com", clientID: "c", homeAccountID: "u.t", tenantID: "t", username: "a<b>")
        #expect(record.json == #"{"authority":"login.microsoftonline.com","clientId":"c","homeAccountId":"u.t","tenantId":"t","username":"a\u003cb\u003e","version":"1.0"}"#)
        try #"{"Authority":"h","clientID":"c","homeAccountID":"u.t","tenantID":"t","username":"x","version":"1.0"}"#
            .write(toFile: directory + "/auth.json", atomically: true, encoding: .utf8)
        #expect(AuthenticationRecord.read(from: directory + "/auth.json")
            == AuthenticationRecord(authority: "h", clientID: "c", homeAccountID: "u.t", tenantID: "t", username: "x"))
    }

    @Test("remove-cache-dir removes everything; a missing directory is fine")
    func removeCacheDirectory() throws {
        let directory = TemporaryDirectory.make()
        try FileTokenCache(cacheDirectory: directory).write(TokenCacheEntry(key: Self.key, token: AcquiredToken(accessToken: "a", expiresOn: 1)))
        try RemoveCacheDirectory.run(directory)
        #expect(!FileManager.default.fileExists(atPath: directory))
        try RemoveCacheDirectory.run(directory)
    }
}

@Suite("cache file names")
struct CacheKeyDigestTests {
    @Test("the plain-Swift SHA-256 matches OpenSSL's")
    func matchesOpenSSL() {
        for text in ["", "abc", String(repeating: "a", count: 1000), "kubeid-token-cache-v1\nhost\nt\nc\nr\nspn\n"] {
            let expected = Digest.sha256(Array(text.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            #expect(CacheKeyDigest.sha256Hex(text) == expected)
        }
    }
}
