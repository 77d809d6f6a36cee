#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import KubeLoginCore

/// The cache holds refresh tokens, so another local user must not be able to plant, swap or
/// read them: directories and files that are not the current user's, that others can write,
/// or that are symbolic links are refused with a clear error, never followed.
@Suite("token cache ownership and symlinks")
struct CacheOwnershipTests {
    static let serverID = "6dae42f8-4368-4678-94ff-3960e28e3630"
    static let key = TokenCacheKey(authority: "idp.test", tenant: FakeEntra.tenant, clientID: "client-1",
                                   resource: "\(serverID)/.default", loginMode: .servicePrincipal)
    /// Someone else: only root can hand files to another user, so those tests need root.
    static let otherUser: uid_t = 4242
    static let isRoot = geteuid() == 0

    func options(_ directory: String) -> TokenOptions {
        var options = TokenOptions(defaultCacheDir: directory)
        options.loginMethod = LoginMode.servicePrincipal.rawValue
        options.serverID = Self.serverID
        options.clientID = "client-1"
        options.clientSecret = "s"
        options.tenantID = FakeEntra.tenant
        options.authorityHost = FakeEntra.host
        options.disableInstanceDiscovery = true
        options.timeout = .seconds(10)
        return options
    }

    func seed(_ directory: String) throws {
        try FileTokenCache(cacheDirectory: directory).write(TokenCacheEntry(key: Self.key, token: AcquiredToken(
            accessToken: "cached", expiresOn: Int64(Date().timeIntervalSince1970) + 3600)))
    }

    /// Runs get-token and returns its error message (nil when it succeeded), the fake
    /// authority, and what the cache-hit fast path answered.
    func run(_ directory: String) async -> (error: String?, fake: FakeEntra, fastPath: String?) {
        let fake = FakeEntra { _ in (200, FakeEntra.tokenJSON(access: "fresh")) }
        let fastPath = CacheHit.credentialLine(options: options(directory), environment: ProcessEnvironment(["HOME": directory]))
        do {
            try await GetToken(options: options(directory), environment: .test(transport: fake, stdout: CapturedText(), stderr: CapturedText())).run()
            return (nil, fake, fastPath)
        } catch {
            return ("\(error)", fake, fastPath)
        }
    }

    @Test("a cache directory writable by group or others is refused, even for a cache hit")
    func cacheDirectoryWritableByOthers() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try seed(directory)
        chmod(directory, 0o777)
        let result = await run(directory)
        let message = try #require(result.error)
        #expect(message.contains("refusing the token cache directory \(directory)"))
        #expect(message.contains("writable by group or others (mode 0777)"))
        #expect(result.fastPath == nil)
        #expect(result.fake.requests.isEmpty)
    }

    @Test("a tokens directory writable by its group is refused")
    func tokensDirectoryWritableByGroup() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try seed(directory)
        chmod(directory + "/tokens", 0o770)
        let result = await run(directory)
        #expect(result.error?.contains("writable by group or others (mode 0770)") == true)
        #expect(result.fastPath == nil)
    }

    @Test("a cache directory owned by another user is refused", .enabled(if: isRoot))
    func cacheDirectoryOwnedByAnotherUser() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try seed(directory)
        chown(directory, Self.otherUser, Self.otherUser)
        let result = await run(directory)
        #expect(result.error?.contains("owned by uid \(Self.otherUser), not by the current user (uid \(geteuid()))") == true)
        #expect(result.fastPath == nil)
        #expect(result.fake.requests.isEmpty)
    }

    @Test("a token file owned by another user is refused, not used", .enabled(if: isRoot))
    func tokenFileOwnedByAnotherUser() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try seed(directory)
        chown(FileTokenCache(cacheDirectory: directory).entryPath(for: Self.key), Self.otherUser, Self.otherUser)
        let result = await run(directory)
        #expect(result.error?.contains("refusing the token cache file") == true)
        #expect(result.error?.contains("owned by uid \(Self.otherUser)") == true)
        #expect(result.fastPath == nil)
    }

    @Test("a symlinked token file is refused, not followed")
    func symlinkedTokenFile() async throws {
        let directory = TemporaryDirectory.make()
        let elsewhere = TemporaryDirectory.make()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: elsewhere)
        }
        try seed(elsewhere)
        let cache = FileTokenCache(cacheDirectory: directory)
        try cache.prepareDirectory()
        try FileManager.default.createSymbolicLink(atPath: cache.entryPath(for: Self.key),
                                                   withDestinationPath: FileTokenCache(cacheDirectory: elsewhere).entryPath(for: Self.key))
        let result = await run(directory)
        #expect(result.error?.contains("refusing the token cache file \(cache.entryPath(for: Self.key)): it is a symbolic link") == true)
        #expect(result.fastPath == nil)
        #expect(result.fake.requests.isEmpty)
    }

    @Test("a symlinked lock file is refused, not followed (its target is not created)")
    func symlinkedLockFile() async throws {
        let directory = TemporaryDirectory.make()
        let elsewhere = TemporaryDirectory.make()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: elsewhere)
        }
        let cache = FileTokenCache(cacheDirectory: directory)
        try cache.prepareDirectory()
        try FileManager.default.createSymbolicLink(atPath: cache.lockPath(for: Self.key), withDestinationPath: elsewhere + "/target")
        let result = await run(directory)
        #expect(result.error?.contains("refusing the token cache lock \(cache.lockPath(for: Self.key)): it is a symbolic link") == true)
        #expect(!FileManager.default.fileExists(atPath: elsewhere + "/target"))
        #expect(result.fake.requests.isEmpty)
    }

    @Test("a lock file owned by another user is refused", .enabled(if: isRoot))
    func lockFileOwnedByAnotherUser() async throws {
        let directory = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = FileTokenCache(cacheDirectory: directory)
        try cache.prepareDirectory()
        _ = FileManager.default.createFile(atPath: cache.lockPath(for: Self.key), contents: nil, attributes: [.posixPermissions: 0o600])
        chown(cache.lockPath(for: Self.key), Self.otherUser, Self.otherUser)
        let result = await run(directory)
        #expect(result.error?.contains("refusing the token cache lock") == true)
        #expect(result.error?.contains("owned by uid \(Self.otherUser)") == true)
    }

    @Test("a private cache reached through a symlinked directory still works")
    func symlinkedCacheDirectoryPath() async throws {
        let parent = TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try FileManager.default.createDirectory(atPath: parent + "/real", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try FileManager.default.createSymbolicLink(atPath: parent + "/link", withDestinationPath: parent + "/real")
        try seed(parent + "/link")
        let result = await run(parent + "/link")
        #expect(result.error == nil)
        #expect(result.fastPath?.contains(#""token":"cached""#) == true)
        #expect(result.fake.requests.isEmpty)
    }
}
