#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The token cache on disk: `<cache-dir>/tokens/<key>.json` plus `<key>.lock`, in a 0700
/// directory, files 0600, entries replaced by atomic rename. Works anywhere a file system
/// does (containers, CI) — no keyring involved.
///
/// The cache directory, `tokens` and every file in it must belong to the current user and be
/// writable by nobody else (``CacheOwnership``), or they are refused with an error; `tokens`
/// and the files in it are opened without following symbolic links. The cache directory
/// itself may be reached through a link (`~/.kube/cache` → elsewhere is common).
public struct FileTokenCache: Sendable {
    /// `--cache-dir` without trailing slashes.
    public let baseDirectory: String
    /// `<cache-dir>/tokens`.
    public let directory: String

    /// - Parameter cacheDirectory: `--cache-dir`; entries live in its `tokens` subdirectory.
    public init(cacheDirectory: String) {
        var base = cacheDirectory
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        self.baseDirectory = base
        self.directory = base + "/tokens"
    }

    public func entryPath(for key: TokenCacheKey) -> String { "\(directory)/\(key.fileStem).json" }
    public func lockPath(for key: TokenCacheKey) -> String { "\(directory)/\(key.fileStem).lock" }

    /// The entry for `key`, or nil when missing, unparsable or for another key. Throws when a
    /// directory or the file on the way fails the ownership rule or is a symbolic link.
    ///
    /// This is the cache hit's whole cost, so it stays a handful of system calls: each step
    /// opens relative to the directory already checked (`openat`), so nothing can be swapped
    /// between the check and the read.
    public func read(_ key: TokenCacheKey) throws -> TokenCacheEntry? {
        guard let base = try CacheOwnership.open(baseDirectory, flags: O_RDONLY | O_DIRECTORY, kind: .directory,
                                                 shownPath: baseDirectory, what: "token cache directory") else { return nil }
        defer { close(base) }
        guard let tokens = try CacheOwnership.open("tokens", in: base, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW, kind: .directory,
                                                   shownPath: directory, what: "token cache directory") else { return nil }
        defer { close(tokens) }
        guard let file = try CacheOwnership.open("\(key.fileStem).json", in: tokens, flags: O_RDONLY | O_NOFOLLOW, kind: .regularFile,
                                                 shownPath: entryPath(for: key), what: "token cache file") else { return nil }
        defer { close(file) }
        guard let bytes = PrivateFiles.contents(of: file),
              let entry = try? JSONDecoder().decode(TokenCacheEntry.self, from: Data(bytes)),
              entry.version == 1, entry.key == key else { return nil }
        return entry
    }

    public func write(_ entry: TokenCacheEntry) throws {
        try prepareDirectory()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try PrivateFiles.writeAtomically(Array(try encoder.encode(entry)), to: entryPath(for: entry.key))
    }

    /// Runs `body` holding the entry's cross-process lock (waiting until `deadline` for it).
    public func withLock<T: Sendable>(_ key: TokenCacheKey, deadline: ContinuousClock.Instant,
                                      _ body: () async throws -> T) async throws -> T {
        try prepareDirectory()
        let lock = try await FileLock.acquire(path: lockPath(for: key), deadline: deadline)
        defer { lock.release() }
        return try await body()
    }

    /// Creates the directories when missing (0700), checks both, and tightens `tokens` to
    /// 0700 (it is ours; nobody else needs to list it).
    func prepareDirectory() throws {
        try PrivateFiles.makeDirectory(baseDirectory)
        guard let base = try CacheOwnership.open(baseDirectory, flags: O_RDONLY | O_DIRECTORY, kind: .directory,
                                                 shownPath: baseDirectory, what: "token cache directory") else {
            throw KubeLoginError("the token cache directory \(baseDirectory) disappeared")
        }
        defer { close(base) }
        if mkdirat(base, "tokens", 0o700) != 0 && errno != EEXIST {
            throw KubeLoginError("mkdir \(directory): \(String(cString: strerror(errno)))")
        }
        guard let tokens = try CacheOwnership.open("tokens", in: base, flags: O_RDONLY | O_DIRECTORY | O_NOFOLLOW, kind: .directory,
                                                   shownPath: directory, what: "token cache directory") else {
            throw KubeLoginError("the token cache directory \(directory) disappeared")
        }
        fchmod(tokens, 0o700)  // mkdir's mode is filtered by the umask
        close(tokens)
    }
}
