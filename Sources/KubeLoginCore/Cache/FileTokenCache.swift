import Foundation

/// The token cache on disk: `<cache-dir>/tokens/<key>.json` plus `<key>.lock`, in a 0700
/// directory, files 0600, entries replaced by atomic rename. Works anywhere a file system
/// does (containers, CI) — no keyring involved.
public struct FileTokenCache: Sendable {
    public let directory: String

    /// - Parameter cacheDirectory: `--cache-dir`; entries live in its `tokens` subdirectory.
    public init(cacheDirectory: String) {
        var base = cacheDirectory
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        self.directory = base + "/tokens"
    }

    public func entryPath(for key: TokenCacheKey) -> String { "\(directory)/\(key.fileStem).json" }
    public func lockPath(for key: TokenCacheKey) -> String { "\(directory)/\(key.fileStem).lock" }

    /// The entry for `key`, or nil when missing, unreadable or for another key.
    public func read(_ key: TokenCacheKey) -> TokenCacheEntry? {
        guard let bytes = PrivateFiles.contents(of: entryPath(for: key)),
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

    func prepareDirectory() throws {
        try PrivateFiles.makeDirectory((directory as NSString).deletingLastPathComponent)
        try PrivateFiles.makeDirectory(directory, enforce: true)
    }
}
