import Cryptography
import Foundation
import IdentityCore
import IdentityTesting
import Testing

/// Issue 13 item 4: private keys are sealed at rest under a key-encryption key kept outside the
/// database; legacy PEM rows stay readable and `keys rewrap` seals them; the wrapping key rotates.
@Suite("Private keys sealed at rest")
struct KeyEncryptionTests {
    static let pem = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"

    @Test func sealedTextIsSelfDescribingAndBoundToItsRecord() throws {
        let encryption = try KeyEncryption(keys: [AESGCM.makeKey()])
        let sealed = try encryption.seal(Self.pem, context: "signing-key/a")
        #expect(sealed.hasPrefix("kubeid-sealed:v1:\(encryption.currentKeyID):"))
        #expect(!sealed.contains("PRIVATE KEY"))
        #expect(KeyEncryption.keyID(ofSealed: sealed) == encryption.currentKeyID)
        #expect(try encryption.open(sealed, context: "signing-key/a") == Self.pem)
        #expect(throws: KeyEncryption.Failure.self) { try encryption.open(sealed, context: "signing-key/b") }
        // A PEM written before encryption existed is read as is.
        #expect(try encryption.open(Self.pem, context: "signing-key/a") == Self.pem)
    }

    @Test func aWrongOrMissingKeyEncryptionKeyIsAClearError() throws {
        let sealed = try KeyEncryption(keys: [AESGCM.makeKey()]).seal(Self.pem, context: "signing-key/a")
        let other = try KeyEncryption(keys: [AESGCM.makeKey()])
        do {
            _ = try other.open(sealed, context: "signing-key/a")
            Issue.record("another key-encryption key must not open it")
        } catch let failure as KeyEncryption.Failure {
            #expect(failure.description.contains("is sealed under key-encryption key kek-"))
            #expect(failure.description.contains("not configured"))
        }
        #expect(throws: KeyEncryption.Failure.self) { try KeyEncryption(text: "not base64 !", source: "kek file") }
        #expect(throws: KeyEncryption.Failure.self) { try KeyEncryption(text: "# only a comment\n", source: "kek file") }
    }

    @Test func signingKeysAreStoredSealedAndStillSign() async throws {
        let encryption = try KeyEncryption(keys: [AESGCM.makeKey()])
        let test = try await TestIssuer.make(configure: { $0.keyEncryption = encryption })
        let store = test.store
        let ring = test.issuer.keyRing
        let records = try await store.signingKeys()
        #expect(records.count == 1)
        #expect(records.allSatisfy { KeyEncryption.isSealed($0.privateKeyPEM) && !$0.privateKeyPEM.contains("PRIVATE KEY") })
        _ = try await ring.activeKey()
        // Without the key-encryption key the ring cannot load them, and says why.
        await #expect(throws: KeyEncryption.Failure.self) { try await KeyRing(store: store, clock: ManualClock()).start() }
    }

    @Test func rewrapSealsLegacyRowsAndRotatesTheWrappingKey() async throws {
        let test = try await TestIssuer.make()   // no key-encryption key: PEM rows, as older stores
        let fixture = try await DirectoryFixture.make(in: test)
        _ = try await test.administration.createCluster(tenant: "contoso", ClusterRegistration(
            name: "dev", server: "https://dev.test:6443"))
        #expect(try await test.store.signingKeys().allSatisfy { !KeyEncryption.isSealed($0.privateKeyPEM) })

        let old = AESGCM.makeKey()
        let first = try KeyEncryption(keys: [old])
        let report = try await KeyRewrap(store: test.store, encryption: first).run()
        #expect(report.signingKeysSealed >= 1 && report.clusterKeysSealed == 1)
        let cluster = try #require(try await test.store.cluster(tenantID: fixture.tenant.id, name: "dev"))
        #expect(KeyEncryption.keyID(ofSealed: cluster.localAccountCA.privateKeyPEM) == first.currentKeyID)
        #expect(try await test.store.signingKeys().allSatisfy { KeyEncryption.keyID(ofSealed: $0.privateKeyPEM) == first.currentKeyID })
        #expect(try await KeyRewrap(store: test.store, encryption: first).run().signingKeysSealed == 0)

        // Rotation: a new key first, the old one still readable.
        let rotated = try KeyEncryption(keys: [AESGCM.makeKey(), old])
        let again = try await KeyRewrap(store: test.store, encryption: rotated).run()
        #expect(again.signingKeysSealed >= 1 && again.clusterKeysSealed == 1)
        #expect(try await test.store.signingKeys().allSatisfy { KeyEncryption.keyID(ofSealed: $0.privateKeyPEM) == rotated.currentKeyID })
        // The admin credential is still issued from the (same) CA key, now opened with the new key.
        let admin = DirectoryAdministration(store: test.store, clock: test.clock, hasher: test.hasher, keyEncryption: rotated)
        _ = try await admin.adminCredential(tenant: "contoso", name: "dev")
        // The running issuer (it loaded its keys before) keeps signing.
        try await test.issuer.keyRing.reload()
        _ = try await test.issuer.keyRing.activeKey()
    }
}
