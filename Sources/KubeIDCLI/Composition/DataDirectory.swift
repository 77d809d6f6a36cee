import Cryptography
import Foundation
import IdentityCore

/// The data directory: the SQLite database, the secret-hashing key and the generated TLS
/// material. Created 0700; every file in it holding a secret is 0600.
struct DataDirectory {
    let path: String

    var databasePath: String { "\(path)/kubeid.sqlite" }
    var secretHashKeyPath: String { "\(path)/secret-hash.key" }
    var keyEncryptionKeyPath: String { "\(path)/key-encryption.key" }
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

    /// The key-encryption keys in `file` (one base64 key per line, the current first), created
    /// with one new random key on first use. Beside, not inside, the database: a copy of the
    /// database alone holds only sealed private keys.
    static func loadOrCreateKeyEncryption(at file: String) throws -> KeyEncryption {
        if let data = FileManager.default.contents(atPath: file) {
            do {
                return try KeyEncryption(text: String(decoding: data, as: UTF8.self), source: file)
            } catch {
                throw CLIError("\(error)")
            }
        }
        try FileSystem.makeDirectory(URL(fileURLWithPath: file).deletingLastPathComponent().path)
        let key = AESGCM.makeKey()
        do {
            try PrivateFile.create(file, contents: Array((Base64.encode(key) + "\n").utf8))
        } catch {
            // Another process created it first (a provisioning script starting serve and an
            // admin command together): use theirs once it is written.
            for _ in 0..<40 {
                if let data = FileManager.default.contents(atPath: file),
                   let existing = try? KeyEncryption(text: String(decoding: data, as: UTF8.self), source: file) {
                    return existing
                }
                usleep(50_000)
            }
            throw CLIError("\(error)")
        }
        return try KeyEncryption(keys: [key])
    }

    /// Puts a new random key first in `file`, keeping the others for reading; returns the keys.
    static func rotateKeyEncryption(at file: String) throws -> KeyEncryption {
        let current = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let key = AESGCM.makeKey()
        let text = Base64.encode(key) + "\n" + current
        let encryption: KeyEncryption
        do {
            encryption = try KeyEncryption(text: text, source: file)
        } catch {
            throw CLIError("\(error)")
        }
        try FileSystem.writeSecretFile(file, contents: text)
        return encryption
    }
}
