public import IdentityCore
internal import PostgresNIO

extension PostgresIdentityStore: DirectoryChangeFeed {
    /// Reads the counter that the v1 triggers bump on every directory or credential write, so a
    /// write by another instance or the admin CLI shows here too.
    public func directoryVersion() async throws -> Int64 {
        try await read { connection in
            guard let row = try await connection.row("SELECT version FROM directory_version WHERE id = 1",
                                                     self.queryLogger) else {
                throw StoreError.invalidData("directory_version has no row")
            }
            return try row.int64("version")
        }
    }
}
