import ArgumentParser
import Foundation
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys", abstract: "Inspect and rotate token-signing keys.",
            subcommands: [List.self, Rotate.self, Rewrap.self])
    }
}

extension KubeIDCommand.Keys {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List signing keys and their state.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let identityStore = try await store.identityStore()
            let now = Date()
            let keys = try await identityStore.signingKeys()
            OutputPrinter.print(.array(keys.map { Self.json($0, now: now) }), output: output)
        }

        static func json(_ key: SigningKeyRecord, now: Date) -> JSONValue {
            let state = key.isActive(at: now) ? "active" : key.isPublished(at: now) ? (key.retiredAt == nil ? "published" : "retired") : "removed"
            return .object([("kid", .string(key.keyID)), ("alg", .string(key.algorithm)), ("state", .string(state)),
                            ("created", DirectoryJSON.date(key.createdAt)),
                            ("activated", key.activatedAt.map(DirectoryJSON.date) ?? .null),
                            ("retired", key.retiredAt.map(DirectoryJSON.date) ?? .null),
                            ("removeAfter", key.removeAfter.map(DirectoryJSON.date) ?? .null)])
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish and activate a new signing key; the old one stays in the JWKS until its tokens expire.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var tokens: TokenOptions

        func run() async throws {
            let opened = try await StoreFactory.open(store)
            let configuration = try tokens.issuerConfiguration(issuerURL: "https://unused")
            let ring = KeyRing(store: opened.store, algorithm: configuration.signingAlgorithm,
                               retiredKeyRetention: configuration.retiredKeyRetention, encryption: opened.keyEncryption)
            let record = try await ring.rotate()
            OutputPrinter.print(List.json(record, now: Date()), output: output)
        }
    }

    struct Rewrap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal every private key in the database (signing keys, clusters' local-account CA keys) under the current key-encryption key.",
            discussion: """
            Rows written before encryption (PEM) are sealed; rows sealed under an older key-encryption key are \
            re-sealed. With --rotate-key-encryption-key a new random key is put first in the key file (the old \
            ones stay for reading) before rewrapping. The private keys themselves do not change. Safe while \
            servers run; give every instance the new key file, then remove old keys from it once no row uses them.
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Flag(name: .customLong("rotate-key-encryption-key"),
              help: "First add a new key-encryption key to the key file and make it the current one.")
        var rotate = false

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            if rotate {
                guard store.keyEncryptionKeyFile != nil || environment["KUBEID_KEY_ENCRYPTION_KEY"]?.isEmpty != false else {
                    throw CLIError("--rotate-key-encryption-key needs a key file; with KUBEID_KEY_ENCRYPTION_KEY, put a new key first in it instead")
                }
                _ = try DataDirectory.rotateKeyEncryption(at: store.resolvedKeyEncryptionKeyFile(environment: environment))
            }
            let opened = try await StoreFactory.open(store, environment: environment)
            let report = try await KeyRewrap(store: opened.store, encryption: opened.keyEncryption).run()
            await opened.close()
            OutputPrinter.print(.object([
                ("keyEncryptionKey", .string(opened.keyEncryption.currentKeyID)),
                ("signingKeysSealed", .number(Double(report.signingKeysSealed))),
                ("clusterKeysSealed", .number(Double(report.clusterKeysSealed))),
                ("alreadyCurrent", .number(Double(report.alreadyCurrent))),
            ]), output: output)
        }
    }
}
