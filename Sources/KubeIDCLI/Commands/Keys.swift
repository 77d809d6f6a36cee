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
            return .object([("kid", .string(key.keyID)), ("alg", .string(key.algorithm)), ("state", .string(state(of: key, at: now))),
                            ("created", DirectoryJSON.date(key.createdAt)),
                            ("activated", key.activatedAt.map(DirectoryJSON.date) ?? .null),
                            ("retired", key.retiredAt.map(DirectoryJSON.date) ?? .null),
                            ("removeAfter", key.removeAfter.map(DirectoryJSON.date) ?? .null)])
        }

        /// `pending` (published, signs from `activated`), `active`, `retired` (published so the
        /// tokens it signed verify), `cancelled` (an emergency rotation overtook it before it
        /// signed), `removed` (out of the JWKS, deleted at the next garbage collection).
        static func state(of key: SigningKeyRecord, at now: Date) -> String {
            if !key.isPublished(at: now) { return "removed" }
            if key.isActive(at: now) { return "active" }
            guard let activatedAt = key.activatedAt else { return "pending" }
            if let retiredAt = key.retiredAt, retiredAt <= activatedAt { return "cancelled" }
            return activatedAt > now ? "pending" : "retired"
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a new signing key that takes over after --key-prepublish (or at once with --now).",
            discussion: """
            Servers rotate keys on their own every --key-rotation-interval; this rotates ahead of schedule. \
            Without --now the new key is in the JWKS for --key-prepublish (default 48h) before it signs, so \
            verifiers that cache the JWKS already have it. --now is for a key that must stop signing at once \
            (suspected compromise): the new key signs immediately and verifiers refetch the JWKS when they \
            meet its kid. Either way the previous key stays published until every token it signed has expired.
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var tokens: TokenOptions
        @Flag(help: "Sign with the new key at once instead of after --key-prepublish.")
        var now = false

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let opened = try await StoreFactory.open(store)
            let configuration = try tokens.issuerConfiguration(issuerURL: "https://unused", environment: environment)
            let ring = KeyRing(store: opened.store, algorithm: configuration.signingAlgorithm,
                               retiredKeyRetention: configuration.retiredKeyRetention, encryption: opened.keyEncryption)
            let prepublication = try tokens.keyPrepublication(environment: environment)
            let record = now || prepublication == 0 ? try await ring.rotate() : try await ring.prepublish(for: prepublication)
            await opened.close()
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
