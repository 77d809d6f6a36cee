/// A store-wide value that every process on the same store (data directory or database) reads,
/// such as the issuer URL `kubeid serve` was last started with, which admin commands use when
/// no `--issuer-url` is given.
public enum StoreSetting: String, Sendable, CaseIterable {
    /// The issuer URL (`https://host[:port]`, no tenant) of the last `kubeid serve` start.
    case issuerURL = "issuer_url"
}

/// Small named values of the store: one row per ``StoreSetting``. Settings are not directory
/// data: writing one does not change ``DirectoryChangeFeed/directoryVersion()``.
public protocol SettingsStore: Sendable {
    /// The value last set for `setting`, or nil when it was never set.
    func setting(_ setting: StoreSetting) async throws -> String?
    /// Sets `setting` to `value`, replacing any earlier value (the last writer wins).
    func setSetting(_ setting: StoreSetting, to value: String) async throws
}
