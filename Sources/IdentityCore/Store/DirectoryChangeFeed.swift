/// Tells readers that cache directory data (the token endpoint's hot path) when anything may
/// have changed, including changes made by another process such as the admin CLI.
public protocol DirectoryChangeFeed: Sendable {
    /// A value that differs from every earlier value after any committed write to the directory
    /// or credentials (by any process). Equal values mean nothing changed in between.
    func directoryVersion() async throws -> Int64
}
