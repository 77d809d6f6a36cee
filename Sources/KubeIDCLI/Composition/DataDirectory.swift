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
    ///
    /// Processes started together on a fresh directory all end up with the one key that was
    /// created first (``PrivateFile/createOnce(_:contents:)``): a secret hashed by one of them
    /// must verify in every other.
    static func loadOrCreateSecretHashKey(at file: String) throws -> [UInt8] {
        try FileSystem.makeDirectory(URL(fileURLWithPath: file).deletingLastPathComponent().path)
        let text = try createOnce(file, contents: Base64.encode(SecureRandom.bytes(32)) + "\n")
        guard let key = Base64.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count >= 32 else {
            throw CLIError("\(file) is not a valid secret-hashing key (base64 of at least 32 bytes)")
        }
        return key
    }

    /// The key-encryption keys in `file` (one base64 key per line, the current first), created
    /// with one new random key on first use. Beside, not inside, the database: a copy of the
    /// database alone holds only sealed private keys. Created once however many processes ask
    /// at the same moment, as the secret-hashing key is.
    static func loadOrCreateKeyEncryption(at file: String) throws -> KeyEncryption {
        try FileSystem.makeDirectory(URL(fileURLWithPath: file).deletingLastPathComponent().path)
        let text = try createOnce(file, contents: Base64.encode(AESGCM.makeKey()) + "\n")
        do {
            return try KeyEncryption(text: text, source: file)
        } catch {
            throw CLIError("\(error)")
        }
    }

    private static func createOnce(_ file: String, contents: String) throws -> String {
        do {
            return String(decoding: try PrivateFile.createOnce(file, contents: Array(contents.utf8)), as: UTF8.self)
        } catch {
            throw CLIError("\(error)")
        }
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
