import Cryptography
import Foundation
import Testing

@Suite("JWT signing and verification")
struct JWTSignVerifyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var algorithm: JWSAlgorithm
        var signer: JWTEngine
        var verifier: JWTEngine
        var testDescription: String { "\(algorithm.rawValue) \(signer)→\(verifier)" }
    }

    /// Every engine pairing, including the cross-engine ones; PS256 only where libjwt is not signing.
    static let cases: [Case] = JWSAlgorithm.allCases.flatMap { algorithm in
        [JWTEngine.openSSL, .libjwt].flatMap { signer in
            [JWTEngine.openSSL, .libjwt].compactMap { verifier in
                algorithm == .ps256 && signer == .libjwt ? nil : Case(algorithm: algorithm, signer: signer, verifier: verifier)
            }
        }
    }

    static func key(for algorithm: JWSAlgorithm) -> PrivateKey { algorithm == .es256 ? TestKeys.p256 : TestKeys.rsa }

    @Test(arguments: cases)
    func signsAndVerifies(_ c: Case) throws {
        let key = Self.key(for: c.algorithm)
        let kid = key.publicKey.thumbprint
        let signer = try JWTSigner(key: key, algorithm: c.algorithm, keyID: kid, additionalHeaders: ["x5t": "abc"], engine: c.signer)
        let token = try signer.sign(claimsJSON: freshClaims(extra: #","groups":["a","b"]"#))
        let verified = try JWTVerifier(engine: c.verifier).verify(token, resolveKey: resolver([
            VerificationKey(keyID: kid, algorithm: c.algorithm, publicKey: key.publicKey),
        ]))
        #expect(verified.header.algorithm == c.algorithm.rawValue)
        #expect(verified.header.keyID == kid)
        #expect(verified.header.type == "JWT")
        #expect(verified.header.x5t == "abc")
        #expect(verified.claims.subject == "user-1")
        #expect(verified.claims.strings("groups") == ["a", "b"])
        try verified.claims.validate(now: Date(), issuer: "https://127.0.0.1:8443/tenant1", audience: "kubernetes")
    }

    /// Both engines emit byte-identical headers (jansson sorts keys; so do we).
    @Test(arguments: [JWSAlgorithm.rs256, .es256])
    func enginesEmitTheSameHeader(algorithm: JWSAlgorithm) throws {
        let key = Self.key(for: algorithm)
        let claims = Array(#"{"exp":1,"sub":"x"}"#.utf8)
        let a = try JWTSigner(key: key, algorithm: algorithm, keyID: "k1", additionalHeaders: ["x5t": "t"], engine: .openSSL).sign(claimsJSON: claims)
        let b = try JWTSigner(key: key, algorithm: algorithm, keyID: "k1", additionalHeaders: ["x5t": "t"], engine: .libjwt).sign(claimsJSON: claims)
        let headerA = a.split(separator: ".")[0], headerB = b.split(separator: ".")[0]
        #expect(headerA == headerB)
        #expect(String(decoding: Base64URL.decode(headerA)!, as: UTF8.self) == #"{"alg":"\#(algorithm.rawValue)","kid":"k1","typ":"JWT","x5t":"t"}"#)
        // Sorted compact claims are reproduced byte for byte by libjwt as well.
        #expect(a.split(separator: ".")[1] == b.split(separator: ".")[1])
    }

    @Test func signerRefusesWhatItCannotDo() throws {
        #expect(throws: CryptoError.unsupportedAlgorithm) { try JWTSigner(key: TestKeys.rsa, algorithm: .es256, keyID: "k") }
        #expect(throws: CryptoError.unsupportedAlgorithm) { try JWTSigner(key: TestKeys.p256, algorithm: .rs256, keyID: "k") }
        #expect(throws: CryptoError.unsupportedAlgorithm) { try JWTSigner(key: TestKeys.rsa, algorithm: .ps256, keyID: "k", engine: .libjwt) }
        #expect(throws: CryptoError.invalidArgument) {
            try JWTSigner(key: TestKeys.rsa, algorithm: .rs256, keyID: "k", additionalHeaders: ["alg": "none"])
        }
        let signer = try JWTSigner(key: TestKeys.rsa, algorithm: .rs256, keyID: "k")
        #expect(throws: CryptoError.invalidClaims) { try signer.sign(claimsJSON: Array("[1]".utf8)) }
        #expect(throws: CryptoError.invalidClaims) { try signer.sign(claimsJSON: Array(#"{"sub":"a","sub":"b"}"#.utf8)) }
    }

    @Test func fractionalTimesFromMSALAreNumbers() throws {
        let claims = try JWTClaims(json: Array(#"{"exp":1700000000.5,"iat":1699999000.25}"#.utf8))
        #expect(claims.expiresAt == Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(claims.number("iat") == 1_699_999_000.25)
    }

    @Test func concurrentSigningAndVerifyingShareOneKey() async throws {
        let key = TestKeys.p256
        let signer = try JWTSigner(key: key, algorithm: .es256, keyID: "k")
        let keys = [VerificationKey(keyID: "k", algorithm: .es256, publicKey: key.publicKey)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let verifier = JWTVerifier(engine: index.isMultiple(of: 2) ? .openSSL : .libjwt)
                    for _ in 0..<25 {
                        let token = try signer.sign(claimsJSON: freshClaims())
                        _ = try verifier.verify(token, resolveKey: resolver(keys))
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
