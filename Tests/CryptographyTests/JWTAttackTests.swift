import Cryptography
import Foundation
import Testing

/// The libjwt 1.10.2 traps (docs/decisions/0001-jwt-signing-engines.md), replayed through
/// ``JWTVerifier`` on both engines.
@Suite("JWT verifier rejects hostile tokens")
struct JWTAttackTests {
    static let engines: [JWTEngine] = [.libjwt, .openSSL]
    static let rsaKey = VerificationKey(keyID: "rsa-1", algorithm: .rs256, publicKey: TestKeys.rsa.publicKey)
    static let ecKey = VerificationKey(keyID: "ec-1", algorithm: .es256, publicKey: TestKeys.p256.publicKey)
    static let resolve = resolver([rsaKey, ecKey])

    static func validToken(_ algorithm: JWSAlgorithm = .rs256) throws -> String {
        let key = algorithm == .es256 ? TestKeys.p256 : TestKeys.rsa
        return try JWTSigner(key: key, algorithm: algorithm, keyID: algorithm == .es256 ? "ec-1" : "rsa-1").sign(claimsJSON: freshClaims())
    }

    func verify(_ token: String, engine: JWTEngine, allowPadding: Bool = false) throws {
        _ = try JWTVerifier(engine: engine, allowPaddedSegments: allowPadding).verify(token, resolveKey: Self.resolve)
    }

    /// Test A: HS256 with the RSA public PEM as HMAC secret (raw libjwt accepts this).
    @Test(arguments: engines)
    func algorithmConfusionWithPublicKeyAsHMACSecret(engine: JWTEngine) throws {
        let header = Base64URL.encode(Array(#"{"alg":"HS256","kid":"rsa-1","typ":"JWT"}"#.utf8))
        let payload = Base64URL.encode(freshClaims())
        let input = header + "." + payload
        let mac = Digest.hmacSHA256(key: Array(TestKeys.rsa.publicKey.pem.utf8), message: Array(input.utf8))
        #expect(throws: CryptoError.unsupportedAlgorithm) { try verify(input + "." + Base64URL.encode(mac), engine: engine) }
    }

    /// Tests B1-B5: alg none in any case, with an empty or junk signature.
    @Test(arguments: engines, ["none", "NONE", "None"])
    func algNone(engine: JWTEngine, alg: String) throws {
        let input = Base64URL.encode(Array(#"{"alg":"\#(alg)","kid":"rsa-1"}"#.utf8)) + "." + Base64URL.encode(freshClaims())
        #expect(throws: CryptoError.malformedToken) { try verify(input + ".", engine: engine) }
        #expect(throws: CryptoError.unsupportedAlgorithm) { try verify(input + ".AAAA", engine: engine) }
    }

    /// Test C.
    @Test(arguments: engines, [JWSAlgorithm.rs256, .es256])
    func tamperedPayload(engine: JWTEngine, algorithm: JWSAlgorithm) throws {
        var parts = try Self.validToken(algorithm).split(separator: ".").map(String.init)
        parts[1] = Base64URL.encode(freshClaims(extra: #","admin":true"#))
        #expect(throws: CryptoError.invalidSignature) { try verify(parts.joined(separator: "."), engine: engine) }
    }

    /// Test F: an "ES256" token signed with P-384 (96-byte signature), made with the openssl CLI.
    @Test(arguments: engines)
    func es256SignedWithP384(engine: JWTEngine) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.pem"], in: directory)
        let input = Base64URL.encode(Array(#"{"alg":"ES256","kid":"ec-1","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(freshClaims())
        let der = try openssl(["dgst", "-sha256", "-sign", "p384.pem"], input: Array(input.utf8), in: directory)
        let raw = try #require(rawECDSASignature(der: der, width: 48))
        #expect(raw.count == 96)
        #expect(throws: CryptoError.invalidSignature) { try verify(input + "." + Base64URL.encode(raw), engine: engine) }
    }

    @Test(arguments: engines)
    func oversizedTokens(engine: JWTEngine) throws {
        let token = try Self.validToken()
        let big = token + String(repeating: "A", count: 20 * 1024)
        #expect(throws: CryptoError.tokenTooLarge) { try verify(big, engine: engine) }
        // 16 MB crashed raw libjwt (alloca); the cap must stop it first.
        let huge = "eyJhbGciOiJSUzI1NiJ9." + String(repeating: "A", count: 16 * 1024 * 1024) + ".AAAA"
        #expect(throws: CryptoError.tokenTooLarge) { try verify(huge, engine: engine) }
    }

    @Test(arguments: engines, ["crit", "jku", "x5u", "jwk"])
    func refusedHeaders(engine: JWTEngine, member: String) throws {
        let value = member == "crit" ? #"["exp"]"# : member == "jwk" ? #"{"kty":"oct","k":"AA"}"# : #""https://evil.example/keys""#
        let header = #"{"alg":"RS256","kid":"rsa-1","\#(member)":\#(value)}"#
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(freshClaims())
        let signature = try TestKeys.rsa.sign(Array(input.utf8), algorithm: .rs256)
        #expect(throws: CryptoError.unsupportedHeader) { try verify(input + "." + Base64URL.encode(signature), engine: engine) }
    }

    @Test(arguments: engines, ["../../../../dev/null", "' OR 1=1 --", String(repeating: "k", count: 10_000), "unknown", ""])
    func kidInjection(engine: JWTEngine, kid: String) throws {
        let header = #"{"alg":"RS256","kid":\#(kidJSON(kid)),"typ":"JWT"}"#
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(freshClaims())
        let signature = try TestKeys.rsa.sign(Array(input.utf8), algorithm: .rs256)
        #expect(throws: CryptoError.unknownKey) { try verify(input + "." + Base64URL.encode(signature), engine: engine) }
    }

    private func kidJSON(_ kid: String) -> String {
        "\"" + kid.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    @Test(arguments: engines)
    func paddedSegments(engine: JWTEngine) throws {
        // A header whose encoding needs padding, signed over the padded text.
        let header = #"{"alg":"RS256","kid":"rsa-1"}"#
        var encodedHeader = Base64URL.encode(Array(header.utf8))
        while encodedHeader.count % 4 != 0 { encodedHeader += "=" }
        #expect(encodedHeader.hasSuffix("="))
        let input = encodedHeader + "." + Base64URL.encode(freshClaims())
        let token = input + "." + Base64URL.encode(try TestKeys.rsa.sign(Array(input.utf8), algorithm: .rs256))
        #expect(throws: CryptoError.malformedToken) { try verify(token, engine: engine) }
        try verify(token, engine: engine, allowPadding: true)
    }

    @Test(arguments: engines)
    func wrongKey(engine: JWTEngine) throws {
        let token = try JWTSigner(key: TestKeys.otherRSA, algorithm: .rs256, keyID: "rsa-1").sign(claimsJSON: freshClaims())
        #expect(throws: CryptoError.invalidSignature) { try verify(token, engine: engine) }
    }

    @Test(arguments: engines)
    func algorithmMustMatchThePinnedOne(engine: JWTEngine) throws {
        // PS256 signature by the right key, but the key is pinned to RS256.
        let token = try JWTSigner(key: TestKeys.rsa, algorithm: .ps256, keyID: "rsa-1").sign(claimsJSON: freshClaims())
        #expect(throws: CryptoError.algorithmMismatch) { try verify(token, engine: engine) }
        // ES256 header pointing at the RSA kid.
        let es = try JWTSigner(key: TestKeys.p256, algorithm: .es256, keyID: "rsa-1").sign(claimsJSON: freshClaims())
        #expect(throws: CryptoError.algorithmMismatch) { try verify(es, engine: engine) }
    }

    @Test(arguments: engines)
    func duplicateClaimNames(engine: JWTEngine) throws {
        let input = Base64URL.encode(Array(#"{"alg":"RS256","kid":"rsa-1","typ":"JWT"}"#.utf8)) + "."
            + Base64URL.encode(Array(#"{"sub":"alice","exp":9999999999,"sub":"admin"}"#.utf8))
        let token = input + "." + Base64URL.encode(try TestKeys.rsa.sign(Array(input.utf8), algorithm: .rs256))
        #expect(throws: CryptoError.malformedToken) { try verify(token, engine: engine) }
        // Duplicates in the header too.
        let header = Base64URL.encode(Array(#"{"alg":"RS256","kid":"rsa-1","kid":"ec-1"}"#.utf8)) + "." + Base64URL.encode(freshClaims())
        #expect(throws: CryptoError.malformedToken) { try verify(header + ".AAAA", engine: engine) }
    }

    @Test(arguments: engines, ["a.b", "a.b.c.d", "..", "a..c", ".b.c", "a.b.", "a b.c.d", "eyJ.eyJ.AA+A"])
    func malformedShapes(engine: JWTEngine, token: String) throws {
        #expect(throws: CryptoError.malformedToken) { try verify(token, engine: engine) }
    }

    @Test(arguments: engines)
    func typOtherThanJWTStillVerifies(engine: JWTEngine) throws {
        // libjwt 1.10.2 rejects typ at+jwt; the verifier routes such tokens to EVP instead.
        let input = Base64URL.encode(Array(#"{"alg":"ES256","kid":"ec-1","typ":"at+jwt"}"#.utf8)) + "." + Base64URL.encode(freshClaims())
        let token = input + "." + Base64URL.encode(try TestKeys.p256.sign(Array(input.utf8), algorithm: .es256))
        try verify(token, engine: engine)
    }
}

/// Test-only DER → raw `r || s` conversion for signatures made by the openssl CLI.
func rawECDSASignature(der: [UInt8], width: Int) -> [UInt8]? {
    var index = 0
    func length() -> Int? {
        guard index < der.count else { return nil }
        var value = Int(der[index]); index += 1
        if value & 0x80 != 0 {
            let count = value & 0x7F
            value = 0
            for _ in 0..<count { guard index < der.count else { return nil }; value = value << 8 | Int(der[index]); index += 1 }
        }
        return value
    }
    guard der.first == 0x30 else { return nil }
    index = 1
    guard length() != nil else { return nil }
    var out: [UInt8] = []
    for _ in 0..<2 {
        guard index < der.count, der[index] == 0x02 else { return nil }
        index += 1
        guard let n = length(), index + n <= der.count else { return nil }
        var integer = Array(der[index..<index + n]); index += n
        while integer.count > width, integer.first == 0 { integer.removeFirst() }
        guard integer.count <= width else { return nil }
        out += [UInt8](repeating: 0, count: width - integer.count) + integer
    }
    return out
}
