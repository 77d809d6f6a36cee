import Cryptography
import Foundation
import IdentityCore

/// The data directory: the SQLite database, the secret-hashing key and the generated TLS
/// material. Created 0700; every file in it holding a secret is 0600.
struct DataDirectory {
    let path: String

    var databasePath: String { "\(path)/kubeid.sqlite" }
    var secretHashKeyPath: String { "\(path)/secret-hash.key" }
    var tlsDirectory: String { "\(path)/tls" }

    /// Creates the directory (0700) if missing.
    func prepare() throws {
        try FileSystem.makeDirectory(path)
    }

    /// The key under which client secrets are hashed, read from `file` (by default in the data
    /// directory) and created there on first use. It lives beside, not inside, the database, so
    /// a copy of the database alone cannot confirm guessed secrets.
    static func loadOrCreateSecretHashKey(at file: String) throws -> [UInt8] {
        if let data = FileManager.default.contents(atPath: file) {
            guard let key = Base64.decode(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
                  key.count >= 32 else {
                throw CLIError("\(file) is not a valid secret-hashing key (base64 of at least 32 bytes)")
            }
            return key
        }
        try FileSystem.makeDirectory(URL(fileURLWithPath: file).deletingLastPathComponent().path)
        let key = SecureRandom.bytes(32)
        try FileSystem.writeSecretFile(file, contents: Base64.encode(key) + "\n")
        return key
    }
}
