import Cryptography
import OAuthProtocol

/// Fixed inputs the targets need besides the fuzzed bytes (the keys made once per process).
enum FuzzKeys {
    static let rsa: VerificationKey = make(.rs256, try! PrivateKey.generateRSA(bits: 2048))
    static let ec: VerificationKey = make(.es256, try! PrivateKey.generateP256())

    /// Built on every call, not kept: a `JSONValue` held in a global stores its buffers' pointers
    /// with the enum's case bits set in them, which LeakSanitizer cannot follow, so a global
    /// one is reported as 537 bytes leaked at exit.
    static var sampleUser: JSONValue {
        .object([
            ("id", .string("3f2504e0-4f89-41d3-9a0c-0305e82c3301")), ("displayName", .string("Adele Vance")),
            ("userPrincipalName", .string("adele@contoso.test")), ("accountEnabled", .bool(true)),
            ("createdDateTime", .string("2026-01-01T00:00:00Z")), ("groupTypes", .strings([])),
            ("identifierUris", .strings(["api://kubeid"])), ("count", .integer(3)),
        ])
    }

    private static func make(_ algorithm: JWSAlgorithm, _ key: PrivateKey) -> VerificationKey {
        VerificationKey(keyID: "fuzz", algorithm: algorithm, publicKey: key.publicKey)
    }
}
