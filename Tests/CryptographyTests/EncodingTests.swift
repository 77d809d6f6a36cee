import Foundation
import Cryptography
import Testing

@Suite("Encodings, digests and comparisons")
struct EncodingTests {
    @Test func base64URLRoundTripsAllLengths() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
    }

    @Test func base64URLIsStrict() {
        #expect(Base64URL.decode("_-8") != nil)
        #expect(Base64URL.decode("+/8") == nil)            // standard alphabet
        #expect(Base64URL.decode("AQ A") == nil)           // whitespace
        #expect(Base64URL.decode("AQ\n") == nil)
        #expect(Base64URL.decode("AQ==") == nil)           // padding not allowed by default
        #expect(Base64URL.decode("AQ==", allowPadding: true) == [1])
        #expect(Base64URL.decode("AQ=", allowPadding: true) == nil)   // wrong amount of padding
        #expect(Base64URL.decode("A") == nil)              // impossible length
        #expect(Base64URL.decode("AR") == nil)             // non-zero trailing bits
        #expect(Base64URL.decode("") == [])
    }

    @Test func standardBase64() {
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.decode("Zm9v\nYmFy") == Array("foobar".utf8))
        #expect(Base64.decode("Zm9v\nYmFy", ignoringWhitespace: false) == nil)
        #expect(Base64.decode("Zm8_") == nil)
    }

    /// RFC 4231 test case 2.
    @Test func hmacSHA256Vector() {
        let mac = Digest.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func sha256AndSHA1Vectors() {
        #expect(Digest.sha256(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha1(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined() == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test func constantTimeEquality() {
        #expect(constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(!constantTimeEquals([], [0]))
        #expect(constantTimeEquals([], []))
    }

    @Test func secureRandomProducesDistinctBytes() {
        let a = SecureRandom.bytes(32), b = SecureRandom.bytes(32)
        #expect(a.count == 32 && a != b)
        #expect(SecureRandom.bytes(0).isEmpty)
    }

    @Test func errorsCompareByCode() {
        #expect(CryptoError.expired("one reason") == CryptoError.expired)
        #expect(CryptoError.expired != CryptoError.notYetValid)
        #expect(CryptoError.expired("x").code == .expired)
        #expect(CryptoError.expired("because").description.contains("because"))
    }
}
