import Cryptography
import Testing

/// AES-256-GCM for sealing private keys at rest (issue 13 item 4).
@Suite("AES-256-GCM")
struct AESGCMTests {
    @Test func sealAndOpenRoundTrip() throws {
        let key = AESGCM.makeKey()
        let message = Array("-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n".utf8)
        let box = try AESGCM.seal(message, key: key, authenticating: Array("record-1".utf8))
        #expect(box.count == AESGCM.nonceLength + message.count + AESGCM.tagLength)
        #expect(!box.starts(with: message))
        #expect(try AESGCM.open(box, key: key, authenticating: Array("record-1".utf8)) == message)
        // A fresh nonce each time.
        #expect(try AESGCM.seal(message, key: key) != AESGCM.seal(message, key: key))
        #expect(try AESGCM.open(AESGCM.seal([], key: key), key: key) == [])
    }

    @Test func tamperingAnotherKeyOrAnotherRecordFails() throws {
        let key = AESGCM.makeKey()
        let box = try AESGCM.seal(Array("secret".utf8), key: key, authenticating: Array("a".utf8))
        var flipped = box
        flipped[AESGCM.nonceLength] ^= 1
        #expect(throws: CryptoError.invalidSignature) { try AESGCM.open(flipped, key: key, authenticating: Array("a".utf8)) }
        #expect(throws: CryptoError.invalidSignature) { try AESGCM.open(box, key: AESGCM.makeKey(), authenticating: Array("a".utf8)) }
        #expect(throws: CryptoError.invalidSignature) { try AESGCM.open(box, key: key, authenticating: Array("b".utf8)) }
        #expect(throws: CryptoError.invalidSignature) { try AESGCM.open(Array(box.prefix(10)), key: key) }
        #expect(throws: CryptoError.invalidKey) { try AESGCM.seal([1], key: [1, 2, 3]) }
    }
}
