import Cryptography
import IdentityCore
import Testing

@Suite("Secret hashing")
struct SecretHasherTests {
    private let hasher = SecretHasher(key: SecureRandom.bytes(32))

    @Test func everyByteOfTheSecretCounts() {
        // bcrypt would see only the first 72 bytes (ory/hydra#1438).
        let prefix = String(repeating: "s", count: 72)
        for tail in [("A", "B"), ("A", ""), ("AAAA", "AAAB")] {
            let first = prefix + tail.0
            let second = prefix + tail.1
            let stored = hasher.hash(first)
            #expect(hasher.matches(first, storedHash: stored))
            #expect(!hasher.matches(second, storedHash: stored), "\(tail)")
            #expect(hasher.hash(second) != stored)
        }
    }

    @Test func aHashOnlyMatchesItsSecretUnderItsKey() {
        let secret = SecretHasher.generateSecret()
        let stored = hasher.hash(secret)
        #expect(stored.count == 32)
        #expect(hasher.hash(secret) == stored)
        #expect(hasher.matches(secret, storedHash: stored))
        #expect(!hasher.matches(secret + " ", storedHash: stored))
        #expect(!hasher.matches(String(secret.dropLast()), storedHash: stored))
        #expect(!hasher.matches("", storedHash: stored))
        #expect(!SecretHasher(key: SecureRandom.bytes(32)).matches(secret, storedHash: stored))
        // Keyed: not a bare SHA-256 of the secret.
        #expect(stored != Digest.sha256(Array(secret.utf8)))
    }

    @Test func malformedStoredHashesNeverMatch() {
        let secret = "correct horse battery staple"
        let stored = hasher.hash(secret)
        #expect(!hasher.matches(secret, storedHash: []))
        #expect(!hasher.matches(secret, storedHash: Array(stored.prefix(16))))
        #expect(!hasher.matches(secret, storedHash: stored + [0]))
        var flipped = stored
        flipped[31] ^= 1
        #expect(!hasher.matches(secret, storedHash: flipped))
    }

    @Test func generatedSecretsAreDistinctAndCarry256Bits() {
        let secrets = (0..<50).map { _ in SecretHasher.generateSecret() }
        #expect(Set(secrets).count == 50)
        for secret in secrets {
            let body = secret.split(separator: "~", maxSplits: 1).last.map(String.init) ?? ""
            #expect(secret.count == body.count + 6)
            #expect(Base64URL.decode(body)?.count == 32, "\(secret)")
        }
    }

    /// A secret starting with `-` is read as a flag by command-line parsers (the pipeline pastes
    /// it after `--client-secret`); with a random base64url hint that was 1 secret in 64.
    @Test func generatedSecretsNeverStartWithADash() {
        for _ in 0..<2_000 {
            let secret = SecretHasher.generateSecret()
            #expect(secret.prefix(3).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, "\(secret)")
        }
    }
}
