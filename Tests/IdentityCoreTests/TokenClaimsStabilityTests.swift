import IdentityCore
import OAuthProtocol
import Testing

/// `aio` and `rh` are opaque random values, but one set of claims is one token: every read of
/// `json` must give the same payload.
@Suite("Token claims are drawn once")
struct TokenClaimsStabilityTests {
    @Test func appAccessTokenClaimsReadTwiceAreEqual() {
        for version in [1, 2] {
            let claims = AppAccessTokenClaims(tokenVersion: version, audience: "api://a", issuer: "https://i/t/", tenantID: "t",
                                              clientID: "c", servicePrincipalObjectID: "o", clientAuthenticationClass: "1",
                                              groups: .groups([]), issuedAt: 1, expiresAt: 2, tokenID: "u")
            #expect(claims.json == claims.json)
            #expect(Self.member("aio", of: claims.json) != nil)
        }
    }

    @Test func userAccessTokenClaimsReadTwiceAreEqual() {
        for version in [1, 2] {
            let claims = UserAccessTokenClaims(tokenVersion: version, audience: "api://a", issuer: "https://i/t/", tenantID: "t",
                                               clientID: "c", clientAuthenticationClass: "0", userObjectID: "o", subject: "s",
                                               userPrincipalName: "u@t", name: "U", givenName: nil, familyName: nil,
                                               authenticationMethods: ["pwd"], scopes: "user.read", groups: .groups([]),
                                               ipAddress: nil, issuedAt: 1, expiresAt: 2, tokenID: "u")
            #expect(claims.json == claims.json)
            #expect(Self.member("aio", of: claims.json) != nil)
        }
    }

    @Test func idTokenClaimsReadTwiceAreEqual() {
        let claims = IDTokenClaims(clientID: "c", issuer: "https://i/t/v2.0", tenantID: "t", userObjectID: "o", subject: "s",
                                   userPrincipalName: "u@t", name: "U", nonce: nil, authenticatedAt: 1, issuedAt: 1,
                                   expiresAt: 2, tokenID: "u")
        #expect(claims.json == claims.json)
        #expect(Self.member("aio", of: claims.json) != nil)
    }

    /// Two tokens made alike still differ in their opaque values.
    @Test func twoTokensGetTheirOwnValues() {
        func make() -> IDTokenClaims {
            IDTokenClaims(clientID: "c", issuer: "https://i/t/v2.0", tenantID: "t", userObjectID: "o", subject: "s",
                          userPrincipalName: "u@t", name: "U", nonce: nil, authenticatedAt: 1, issuedAt: 1,
                          expiresAt: 2, tokenID: "u")
        }
        #expect(Self.member("aio", of: make().json) != Self.member("aio", of: make().json))
    }

    private static func member(_ name: String, of json: JSONValue) -> JSONValue? {
        guard case .object(let members) = json else { return nil }
        return members.first { $0.0 == name }?.1
    }
}
