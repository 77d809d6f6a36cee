import ArgumentParser
import Foundation
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys", abstract: "Inspect and rotate token-signing keys.",
            subcommands: [List.self, Rotate.self])
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
            let identityStore = try await store.identityStore()
            let configuration = try tokens.issuerConfiguration(issuerURL: "https://unused")
            let ring = KeyRing(store: identityStore, algorithm: configuration.signingAlgorithm,
                               retiredKeyRetention: configuration.retiredKeyRetention)
            let record = try await ring.rotate()
            OutputPrinter.print(List.json(record, now: Date()), output: output)
        }
    }
}
