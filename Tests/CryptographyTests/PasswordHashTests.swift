import Cryptography
import Foundation
import Testing

@Suite("Password hashing (scrypt)")
struct PasswordHashTests {
    /// RFC 7914 §12, third vector (N = 1024, r = 8, p = 16), written as a stored string.
    @Test func rfc7914VectorVerifies() {
        let hash = "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        var bytes: [UInt8] = []
        var index = hash.startIndex
        while index < hash.endIndex {
            let next = hash.index(index, offsetBy: 2)
            bytes.append(UInt8(hash[index..<next], radix: 16)!)
            index = next
        }
        func unpadded(_ b: [UInt8]) -> String { Base64.encode(b).replacingOccurrences(of: "=", with: "") }
        let stored = "$scrypt$ln=10,r=8,p=16$\(unpadded(Array("NaCl".utf8)))$\(unpadded(bytes))"
        #expect(PasswordHash.verify("password", stored: stored))
        #expect(!PasswordHash.verify("passwore", stored: stored))
    }

    @Test func makeAndVerifyRoundTrip() throws {
        let stored = try PasswordHash.make("correct horse battery staple", parameters: .testing)
        #expect(stored.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        #expect(PasswordHash.verify("correct horse battery staple", stored: stored))
        #expect(!PasswordHash.verify("correct horse battery stapl", stored: stored))
        #expect(!PasswordHash.verify("", stored: stored))
        // A fresh salt every time.
        #expect(try PasswordHash.make("x", parameters: .testing) != PasswordHash.make("x", parameters: .testing))
    }

    @Test func defaultIsOWASPStrength() throws {
        #expect(PasswordHash.Parameters.owasp == PasswordHash.Parameters(logN: 17, r: 8, p: 1))
        let start = Date()
        let stored = try PasswordHash.make("s3cret")
        #expect(PasswordHash.parameters(of: stored) == .owasp)
        #expect(PasswordHash.verify("s3cret", stored: stored))
        // Memory-hard on purpose: two evaluations of 128 MiB take measurable time.
        #expect(Date().timeIntervalSince(start) > 0.05)
    }

    @Test func parametersComeFromTheStoredString() throws {
        let cheap = try PasswordHash.make("pw", parameters: PasswordHash.Parameters(logN: 11))
        #expect(PasswordHash.parameters(of: cheap)?.logN == 11)
        #expect(PasswordHash.verify("pw", stored: cheap))
        #expect(PasswordHash.needsRehash(cheap, current: .testing))
        #expect(!PasswordHash.needsRehash(cheap, current: PasswordHash.Parameters(logN: 11)))
    }

    @Test func malformedOrHostileStoredStringsAreFalseNotCrashes() {
        for stored in ["", "$scrypt$", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "plaintext",
                       "$scrypt$ln=40,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",   // 2^40: refused
                       "$scrypt$ln=10,r=8$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
                       "$scrypt$ln=10,r=8,p=1$!!!$aGFzaA"] {
            #expect(!PasswordHash.verify("pw", stored: stored))
            #expect(PasswordHash.needsRehash(stored, current: .owasp))
        }
    }
}
