import Cryptography
import Foundation
import Testing

@Suite("JWT claim validation")
struct JWTClaimsTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let issuer = "https://127.0.0.1:8443/tenant1"

    func claims(_ json: String) throws -> JWTClaims { try JWTClaims(json: Array(json.utf8)) }

    @Test func expiry() throws {
        let t = Int(now.timeIntervalSince1970)
        try claims(#"{"exp":\#(t - 59)}"#).validate(now: now, issuer: nil, audience: nil)
        try claims(#"{"exp":\#(t - 60)}"#).validate(now: now, issuer: nil, audience: nil)
        #expect(throws: CryptoError.expired) { try claims(#"{"exp":\#(t - 61)}"#).validate(now: now, issuer: nil, audience: nil) }
        #expect(throws: CryptoError.expired) { try claims(#"{"exp":1000}"#).validate(now: now, issuer: nil, audience: nil) }
        // Leeway is capped at 60 s whatever the caller asks for.
        #expect(throws: CryptoError.expired) { try claims(#"{"exp":\#(t - 61)}"#).validate(now: now, issuer: nil, audience: nil, leeway: 3600) }
        #expect(throws: CryptoError.expired) { try claims(#"{"exp":\#(t - 1)}"#).validate(now: now, issuer: nil, audience: nil, leeway: 0) }
        #expect(throws: CryptoError.invalidClaims) { try claims(#"{"sub":"x"}"#).validate(now: now, issuer: nil, audience: nil) }
        #expect(throws: CryptoError.invalidClaims) { try claims(#"{"exp":"\#(t + 100)"}"#).validate(now: now, issuer: nil, audience: nil) }
        #expect { try claims(#"{"exp":1000}"#).validate(now: now, issuer: nil, audience: nil) } throws: { ($0 as? CryptoError)?.code == .expired }
    }

    @Test func notBeforeAndIssuedAt() throws {
        let t = Int(now.timeIntervalSince1970)
        try claims(#"{"exp":\#(t + 600),"nbf":\#(t + 30),"iat":\#(t + 30)}"#).validate(now: now, issuer: nil, audience: nil)
        #expect(throws: CryptoError.notYetValid) { try claims(#"{"exp":\#(t + 600),"nbf":\#(t + 120)}"#).validate(now: now, issuer: nil, audience: nil) }
        #expect(throws: CryptoError.notYetValid) { try claims(#"{"exp":\#(t + 6000),"iat":\#(t + 3000)}"#).validate(now: now, issuer: nil, audience: nil) }
        #expect(throws: CryptoError.invalidClaims) { try claims(#"{"exp":\#(t + 600),"nbf":"soon"}"#).validate(now: now, issuer: nil, audience: nil) }
    }

    @Test func issuerIsExact() throws {
        let t = Int(now.timeIntervalSince1970) + 600
        try claims(#"{"exp":\#(t),"iss":"\#(issuer)"}"#).validate(now: now, issuer: issuer, audience: nil)
        #expect(throws: CryptoError.invalidIssuer) { try claims(#"{"exp":\#(t),"iss":"\#(issuer)/"}"#).validate(now: now, issuer: issuer, audience: nil) }
        #expect(throws: CryptoError.invalidIssuer) { try claims(#"{"exp":\#(t),"iss":"HTTPS://127.0.0.1:8443/tenant1"}"#).validate(now: now, issuer: issuer, audience: nil) }
        #expect(throws: CryptoError.invalidIssuer) { try claims(#"{"exp":\#(t)}"#).validate(now: now, issuer: issuer, audience: nil) }
    }

    @Test func audienceStringOrArray() throws {
        let t = Int(now.timeIntervalSince1970) + 600
        try claims(#"{"exp":\#(t),"aud":"kubernetes"}"#).validate(now: now, issuer: nil, audience: "kubernetes")
        try claims(#"{"exp":\#(t),"aud":["other","kubernetes"]}"#).validate(now: now, issuer: nil, audience: "kubernetes")
        #expect(try claims(#"{"aud":["a","b"]}"#).audiences == ["a", "b"])
        #expect(throws: CryptoError.invalidAudience) { try claims(#"{"exp":\#(t),"aud":"kubernetes-b"}"#).validate(now: now, issuer: nil, audience: "kubernetes") }
        #expect(throws: CryptoError.invalidAudience) { try claims(#"{"exp":\#(t),"aud":["a",1]}"#).validate(now: now, issuer: nil, audience: "a") }
        #expect(throws: CryptoError.invalidAudience) { try claims(#"{"exp":\#(t)}"#).validate(now: now, issuer: nil, audience: "kubernetes") }
    }

    @Test func maximumLifetime() throws {
        let t = Int(now.timeIntervalSince1970)
        try claims(#"{"exp":\#(t + 300)}"#).validate(now: now, issuer: nil, audience: nil, maximumLifetime: 300)
        #expect(throws: CryptoError.invalidClaims) { try claims(#"{"exp":\#(t + 3600)}"#).validate(now: now, issuer: nil, audience: nil, maximumLifetime: 300) }
    }

    @Test func payloadShape() throws {
        #expect(throws: CryptoError.malformedToken) { try claims("[]") }
        #expect(throws: CryptoError.malformedToken) { try claims(#"{"a":1} x"#) }
        #expect(throws: CryptoError.malformedToken) { try claims(#"{"a":1,"a":2}"#) }
        #expect(throws: CryptoError.malformedToken) { try claims(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) }
        #expect(throws: CryptoError.malformedToken) { try JWTClaims(json: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) }
        let c = try claims(#"{"name":"caf\u00e9 \ud83d\ude00","n":-1.5e2,"t":true,"z":null}"#)
        #expect(c.string("name") == "café 😀")
        #expect(c.number("n") == -150)
    }
}
