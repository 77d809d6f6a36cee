public import IdentityCore
internal import GRDB

extension SQLiteIdentityStore: DirectoryChangeFeed {
    /// Reads the counter that the v1/v2 triggers bump on every directory or credential write, so a
    /// write by another process (the admin CLI) shows here too.
    public func directoryVersion() async throws -> Int64 {
        try await read { db in
            guard let version = try Int64.fetchOne(db, sql: "SELECT version FROM directory_version WHERE id = 1") else {
                throw StoreError.invalidData("directory_version has no row")
            }
            return version
        }
    }
}
