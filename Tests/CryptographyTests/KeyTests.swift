import Cryptography
import Foundation
import Testing

@Suite("Keys, PEM and JWK")
struct KeyTests {
    @Test func generatedKeysHaveTheirKinds() throws {
        #expect(TestKeys.rsa.kind == .rsa(bits: 2048))
        #expect(TestKeys.p256.kind == .p256)
        #expect(throws: CryptoError.unsupportedKey) { try PrivateKey.generateRSA(bits: 1024) }
    }

    @Test(arguments: [TestKeys.rsa, TestKeys.p256])
    func pemRoundTrip(key: PrivateKey) throws {
        let pem = key.pemPKCS8
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let reread = try PrivateKey(pem: pem)
        #expect(reread.publicKey == key.publicKey)
        #expect(reread.kind == key.kind)
        let publicKey = try PublicKey(pem: key.publicKey.pem)
        #expect(publicKey == key.publicKey)
        #expect(key.publicKey.pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
    }

    @Test(arguments: [TestKeys.rsa, TestKeys.p256])
    func jwkRoundTripHasNoPrivateMembers(key: PrivateKey) throws {
        let jwk = key.publicKey.jwk(keyID: key.publicKey.thumbprint)
        #expect(jwk.kid == key.publicKey.thumbprint)
        #expect(try PublicKey(jwk: jwk) == key.publicKey)
        let data = try JSONEncoder().encode(JWKSet(keys: [jwk]))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let member = (object["keys"] as! [[String: Any]])[0]
        for forbidden in ["d", "p", "q", "dp", "dq", "qi", "k"] {
            #expect(member[forbidden] == nil, "JWK must not contain \(forbidden)")
        }
        #expect(member["use"] == nil)  // nil members are omitted
    }

    @Test func decodingAJWKIgnoresPrivateMembers() throws {
        let json = #"{"kty":"oct","k":"c2VjcmV0"}"#
        let jwk = try JSONDecoder().decode(JWK.self, from: Data(json.utf8))
        #expect(throws: CryptoError.unsupportedKey) { try PublicKey(jwk: jwk) }
        let encoded = String(decoding: try JSONEncoder().encode(jwk), as: UTF8.self)
        #expect(!encoded.contains("\"k\""))
    }

    /// RFC 7638 §3.1.
    @Test func rfc7638Thumbprint() throws {
        let jwk = JWK(kty: "RSA",
                      n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
                      e: "AQAB", alg: "RS256")
        let key = try PublicKey(jwk: jwk)
        #expect(key.thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        #expect(key.jwk().n == jwk.n && key.jwk().e == "AQAB")
    }

    @Test func weakAndForeignKeysAreRefused() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rsa1024 = String(decoding: try openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"], in: directory), as: UTF8.self)
        #expect(throws: CryptoError.unsupportedKey) { try PrivateKey(pem: rsa1024) }
        let p384 = String(decoding: try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"], in: directory), as: UTF8.self)
        #expect(throws: CryptoError.unsupportedKey) { try PrivateKey(pem: p384) }
        let p384Public = String(decoding: try openssl(["pkey", "-pubout"], input: Array(p384.utf8), in: directory), as: UTF8.self)
        #expect(throws: CryptoError.unsupportedKey) { try PublicKey(pem: p384Public) }
        let ed25519 = String(decoding: try openssl(["genpkey", "-algorithm", "ED25519"], in: directory), as: UTF8.self)
        #expect(throws: CryptoError.unsupportedKey) { try PrivateKey(pem: ed25519) }
        #expect(throws: CryptoError.invalidKey) { try PrivateKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
        #expect(throws: CryptoError.unsupportedKey) { try PublicKey(jwk: JWK(kty: "EC", crv: "P-384", x: "AA", y: "AA")) }
    }

    @Test func traditionalPEMIsAccepted() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let traditional = String(decoding: try openssl(["pkey", "-traditional"], input: Array(TestKeys.p256.pemPKCS8.utf8), in: directory), as: UTF8.self)
        #expect(traditional.hasPrefix("-----BEGIN EC PRIVATE KEY-----"))
        #expect(try PrivateKey(pem: traditional).publicKey == TestKeys.p256.publicKey)
    }

    @Test func offCurvePointIsRefused() throws {
        var jwk = TestKeys.p256.publicKey.jwk()
        var y = Base64URL.decode(jwk.y!)!
        y[31] ^= 1
        jwk.y = Base64URL.encode(y)
        #expect(throws: CryptoError.invalidKey) { try PublicKey(jwk: jwk) }
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func rawSignAndVerify(algorithm: JWSAlgorithm) throws {
        let key = algorithm == .es256 ? TestKeys.p256 : TestKeys.rsa
        let message = Array("hello".utf8)
        let signature = try key.sign(message, algorithm: algorithm)
        if algorithm == .es256 { #expect(signature.count == 64) }
        #expect(key.publicKey.isValidSignature(signature, for: message, algorithm: algorithm))
        #expect(!key.publicKey.isValidSignature(signature, for: Array("hellp".utf8), algorithm: algorithm))
        let wrong = algorithm == .es256 ? TestKeys.rsa : TestKeys.p256
        #expect(!wrong.canSign(with: algorithm))
        #expect(throws: CryptoError.unsupportedAlgorithm) { try wrong.sign(message, algorithm: algorithm) }
    }

    @Test func pssAndPKCS1AreNotInterchangeable() throws {
        let message = Array("m".utf8)
        let pss = try TestKeys.rsa.sign(message, algorithm: .ps256)
        #expect(!TestKeys.rsa.publicKey.isValidSignature(pss, for: message, algorithm: .rs256))
        let pkcs1 = try TestKeys.rsa.sign(message, algorithm: .rs256)
        #expect(!TestKeys.rsa.publicKey.isValidSignature(pkcs1, for: message, algorithm: .ps256))
    }

    @Test func signaturesMatchTheOpenSSLCommandLine() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try TestKeys.rsa.publicKey.pem.write(to: directory.appendingPathComponent("pub.pem"), atomically: true, encoding: .utf8)
        let message = Array("interop".utf8)
        try Data(message).write(to: directory.appendingPathComponent("msg"))
        try Data(try TestKeys.rsa.sign(message, algorithm: .ps256)).write(to: directory.appendingPathComponent("sig"))
        // Verifies with the exact RFC 7518 PS256 parameters; throws if openssl rejects it.
        try openssl(["dgst", "-sha256", "-verify", "pub.pem", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32",
                     "-sigopt", "rsa_mgf1_md:sha256", "-signature", "sig", "msg"], in: directory)
    }
}
