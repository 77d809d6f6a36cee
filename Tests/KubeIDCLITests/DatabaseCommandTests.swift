import Foundation
import Testing

/// `kubeid db status` and `db migrate` on SQLite report the migrations GRDB's migrator knows,
/// and `status` reads without migrating.
@Suite("db status and db migrate on SQLite")
struct DatabaseCommandTests {
    @Test func statusOfAnUnmigratedFileListsEveryMigrationPendingAndChangesNothing() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        try FileManager.default.createDirectory(atPath: kubeid.dataDirectory, withIntermediateDirectories: true)
        // An empty file is a database with nothing applied.
        #expect(FileManager.default.createFile(atPath: kubeid.dataDirectory + "/kubeid.sqlite", contents: nil))
        let before = try #require(try await kubeid.json(["db", "status"]) as? [String: Any])
        #expect(before["applied"] as? [String] == [])
        let pending = try #require(before["pending"] as? [String])
        #expect(pending.first == "v1")
        #expect(pending.last == "v10-privileged-access")
        let again = try #require(try await kubeid.json(["db", "status"]) as? [String: Any])
        #expect(again["pending"] as? [String] == pending, "status must not migrate")

        let migrated = try #require(try await kubeid.json(["db", "migrate"]) as? [String: Any])
        #expect(migrated["applied"] as? [String] == pending)
        #expect(migrated["pending"] as? [String] == [])
        let after = try #require(try await kubeid.json(["db", "status"]) as? [String: Any])
        #expect(after["applied"] as? [String] == pending)
        #expect(after["pending"] as? [String] == [])
    }

    @Test func statusOfAMissingFileSaysSo() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let status = try #require(try await kubeid.json(["db", "status"]) as? [String: Any])
        #expect(status["exists"] as? Bool == false)
        #expect(!FileManager.default.fileExists(atPath: kubeid.dataDirectory + "/kubeid.sqlite"))
    }
}
