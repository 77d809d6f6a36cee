import Foundation
import IdentityCore

/// The two keys that live beside the store, not in it, and that a copy of the store is useless
/// without: the key-encryption key its private keys are sealed under and the secret-hashing key
/// its client secrets are hashed under (see docs/operations.md, Backups). Read only: unlike
/// opening the store, naming them never creates a key file.
struct StoreKeyFiles {
    /// The key-encryption key's file, or `KUBEID_KEY_ENCRYPTION_KEY` when the key comes from the
    /// environment.
    let keyEncryptionKeySource: String
    let keyEncryptionKeyFile: String?
    let secretHashKeyFile: String
    private let keyEncryptionKeyText: String?

    init(_ options: StoreOptions, environment: [String: String]) {
        secretHashKeyFile = options.resolvedSecretHashKeyFile(environment: environment)
        if options.keyEncryptionKeyFile == nil, let text = environment["KUBEID_KEY_ENCRYPTION_KEY"], !text.isEmpty {
            keyEncryptionKeySource = "KUBEID_KEY_ENCRYPTION_KEY"
            keyEncryptionKeyFile = nil
            keyEncryptionKeyText = text
        } else {
            let file = options.resolvedKeyEncryptionKeyFile(environment: environment)
            keyEncryptionKeySource = file
            keyEncryptionKeyFile = file
            keyEncryptionKeyText = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The ids of the configured key-encryption keys; nil when the key file does not exist.
    func configuredKeyEncryptionKeyIDs() throws -> Set<String>? {
        guard let keyEncryptionKeyText else { return nil }
        do {
            return try KeyEncryption(text: keyEncryptionKeyText, source: keyEncryptionKeySource).keyIDs
        } catch {
            throw CLIError("\(error)")
        }
    }

    var secretHashKeyExists: Bool { FileManager.default.fileExists(atPath: secretHashKeyFile) }

    /// Which files must be kept with a copy of the store: what `db backup` says on stderr after
    /// writing one, and in its refusal on PostgreSQL.
    func keepNote(sealedUnder keyIDs: [String]) -> String {
        let sealed = keyIDs.isEmpty ? "" : " (the private keys are sealed under \(keyIDs.joined(separator: ", ")))"
        return "keep a copy of the key-encryption key \(keyEncryptionKeySource)\(sealed), stored apart from the backup, "
            + "and of the secret-hashing key \(secretHashKeyFile): without the first a restore cannot open the signing "
            + "keys, without the second it cannot check client secrets"
    }
}
