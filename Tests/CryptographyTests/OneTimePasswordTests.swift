import Cryptography
import Testing

@Suite("HOTP/TOTP and base32")
struct OneTimePasswordTests {
    static let rfcSecret = Array("12345678901234567890".utf8)

    /// RFC 4226 Appendix D.
    @Test func hotpVectors() {
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        for (counter, code) in expected.enumerated() {
            #expect(OneTimePassword.hotp(secret: Self.rfcSecret, counter: Int64(counter)) == code)
        }
    }

    /// RFC 6238 Appendix B (SHA-1), last six digits.
    @Test func totpVectors() {
        let vectors: [(Int64, String)] = [(59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"),
                                          (1_234_567_890, "005924"), (2_000_000_000, "279037"), (20_000_000_000, "353130")]
        for (time, code) in vectors {
            #expect(OneTimePassword.totp(secret: Self.rfcSecret, unixTime: time) == code)
        }
        #expect(OneTimePassword.step(unixTime: 59) == 1)
        #expect(OneTimePassword.matches("287082", "287082"))
        #expect(!OneTimePassword.matches("287083", "287082"))
    }

    /// RFC 4648 §10.
    @Test func base32Vectors() {
        let vectors = [("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="),
                       ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======")]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8), padded: true) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
            #expect(Base32.decode(encoded.lowercased()) == Array(plain.utf8))
        }
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("MZXW 6YTB-OI") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil)          // '1' is not in the alphabet
        #expect(Base32.decode("MZ=XW") == nil)          // data after padding
        #expect(Base32.decode("MZ") == nil)             // leftover non-zero bits
        let secret = (0..<20).map { UInt8($0 * 13 & 0xFF) }
        #expect(Base32.decode(Base32.encode(secret)) == secret)
    }
}
