import Foundation
import Testing

/// Issue 13 item 4 through the real binary: private keys in the database are sealed under the
/// key-encryption key beside it; without that key the command says so; `keys rewrap` rotates it.
@Suite("Key encryption at rest (kubeid)")
struct KeyEncryptionCommandTests {
    static func databaseBytes(_ kubeid: KubeID) throws -> String {
        var text = ""
        for suffix in ["", "-wal"] {
            if let data = FileManager.default.contents(atPath: kubeid.dataDirectory + "/kubeid.sqlite" + suffix) {
                text += String(decoding: data, as: UTF8.self)
            }
        }
        return text
    }

    @Test func privateKeysAreSealedAndTheWrappingKeyRotates() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        _ = try await kubeid.json(["tenant", "create", "--name", "contoso"])
        _ = try await kubeid.json(["cluster", "create", "--tenant", "contoso", "--name", "dev", "--server", "https://10.0.0.1:6443"])
        _ = try await kubeid.json(["keys", "rotate"])
        let keyFile = kubeid.dataDirectory + "/key-encryption.key"
        var status = stat()
        #expect(lstat(keyFile, &status) == 0 && status.st_mode & 0o777 == 0o600)
        let database = try Self.databaseBytes(kubeid)
        #expect(database.contains("kubeid-sealed:v1:kek-"))
        #expect(!database.contains("BEGIN PRIVATE KEY") && !database.contains("BEGIN EC PRIVATE KEY"))

        // Rotation: a new key first in the file, every row re-sealed, the old key still accepted.
        let report = try #require(try await kubeid.json(["keys", "rewrap", "--rotate-key-encryption-key"]) as? [String: Any])
        #expect(report["signingKeysSealed"] as? Int == 1)
        #expect(report["clusterKeysSealed"] as? Int == 1)
        let lines = try String(contentsOfFile: keyFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(try Self.databaseBytes(kubeid).contains("kubeid-sealed:v1:\(try #require(report["keyEncryptionKey"] as? String)):"))
        let again = try #require(try await kubeid.json(["keys", "rewrap"]) as? [String: Any])
        #expect(again["signingKeysSealed"] as? Int == 0 && again["clusterKeysSealed"] as? Int == 0)
        _ = try await kubeid.json(["keys", "rotate"])

        // Only the old key: the rows sealed under the new one cannot be opened, and it says why.
        try (String(lines[1]) + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
        let refused = try await kubeid.run(["keys", "rotate"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("Error: the private key signing-key/"), "\(refused.stderr)")
        #expect(refused.stderr.contains("is not configured"))
        // A broken key file is refused clearly too.
        try "not a key\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
        let broken = try await kubeid.run(["keys", "list"])
        #expect(broken.status == 1)
        #expect(broken.stderr.hasPrefix("Error: \(keyFile) is not a valid key-encryption key file"), "\(broken.stderr)")
    }

    @Test func disabledLocalAccountsDropTheLocalCAFromTheAPIServerConfig() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        _ = try await kubeid.json(["tenant", "create", "--name", "contoso"])
        let group = try #require(try await kubeid.json(["group", "create", "--tenant", "contoso", "--display-name", "admins"]) as? [String: Any])
        _ = try await kubeid.json(["cluster", "create", "--tenant", "contoso", "--name", "dev", "--server", "https://10.0.0.1:6443",
                                   "--enable-aad", "--aad-admin-group-object-ids", try #require(group["id"] as? String),
                                   "--disable-local-accounts"])
        let directory = kubeid.scratch.appendingPathComponent("apiserver").path
        let summary = try #require(try await kubeid.json(["cluster", "apiserver-config", "--name", "dev",
                                                          "--dir", directory, "--issuer-url", "https://idp.example.com"]) as? [String: Any])
        #expect(!(summary["files"] as? [String] ?? []).contains("client-ca.crt"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/client-ca.crt"))
        let flags = try String(contentsOfFile: directory + "/flags.txt", encoding: .utf8)
        #expect(!flags.contains("\n--client-ca-file="))
        #expect(flags.contains("Local accounts are disabled"))
    }
}
