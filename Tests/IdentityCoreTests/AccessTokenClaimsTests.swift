import Cryptography
import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("App access-token claims")
struct AccessTokenClaimsTests {
    @Test func v1TokenForAKSHasTheShapeOfProtocolSection4_5() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let tid = fixture.tenant.id
        let response = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
        let token = try DecodedJWT(response.accessToken)
        let now = Int(test.clock.now().timeIntervalSince1970)

        #expect(Set(token.payload.keys) == ["aud", "iss", "iat", "nbf", "exp", "aio", "appid", "appidacr", "groups", "idp",
                                            "idtyp", "oid", "rh", "sub", "tid", "uti", "ver"])
        #expect(token.string("aud") == AKS.serverAppID)
        #expect(token.string("iss") == "https://issuer.test:8443/\(tid)/")
        #expect(token.string("idp") == "https://issuer.test:8443/\(tid)/")
        #expect(token.string("appid") == fixture.pipeline.application.appID)
        #expect(token.string("appidacr") == "1")
        #expect(token.string("idtyp") == "app")
        #expect(token.string("oid") == fixture.pipeline.servicePrincipal.objectID)
        #expect(token.string("sub") == fixture.pipeline.servicePrincipal.objectID)
        #expect(token.string("tid") == tid)
        #expect(token.strings("groups") == [fixture.inner.objectID, fixture.outer.objectID].sorted())
        #expect(token.string("ver") == "1.0")
        #expect(token.integer("iat") == now)
        #expect(token.integer("nbf") == now)
        #expect(token.integer("exp") == now + response.expiresIn)
        #expect(Base64URL.decode(token.string("uti") ?? "")?.count == 16)
        #expect(token.string("rh")?.hasPrefix("1.") == true)
        for absent in ["scp", "upn", "unique_name", "name", "roles", "azp", "azpacr"] {
            #expect(token.payload[absent] == nil, "\(absent)")
        }
        // Numbers are integers in the JSON text, not floats.
        let payloadText = String(decoding: Base64URL.decode(response.accessToken.split(separator: ".")[1]) ?? [], as: UTF8.self)
        #expect(payloadText.contains("\"iat\":\(now),"))

        let claims = try await test.verify(response.accessToken, audience: AKS.serverAppID, tenantID: tid, version: 1)
        #expect(claims.issuer == "https://issuer.test:8443/\(tid)/")
    }

    @Test func v1HeaderCarriesX5TAndV2HeaderDoesNot() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let (api, _) = try await test.administration.createApplication(
            tenant: "contoso", displayName: "api", identifierURIs: ["api://v2api"], accessTokenVersion: 2)
        let active = try await test.issuer.keyRing.activeKey()

        let v1 = try DecodedJWT(try await test.requestToken(tenant: "contoso",
                                                            TestIssuer.secretParameters(fixture.pipeline)).accessToken)
        #expect(Set(v1.header.keys) == ["alg", "kid", "typ", "x5t"])
        #expect(v1.header["alg"] as? String == "RS256")
        #expect(v1.header["typ"] as? String == "JWT")
        #expect(v1.header["kid"] as? String == active.record.keyID)
        #expect(v1.header["x5t"] as? String == Base64URL.encode(active.certificate.sha1Thumbprint))

        let v2 = try DecodedJWT(try await test.requestToken(
            tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline, scope: "api://v2api/.default")).accessToken)
        #expect(Set(v2.header.keys) == ["alg", "kid", "typ"])
        #expect(v2.header["kid"] as? String == active.record.keyID)
        #expect(v2.string("aud") == api.appID)
    }

    @Test func v2TokenHasAzpAndTheV2Issuer() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let tid = fixture.tenant.id
        let (api, _) = try await test.administration.createApplication(
            tenant: "contoso", displayName: "api", identifierURIs: ["api://v2api"], accessTokenVersion: 2)

        let response = try await test.requestToken(
            tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline, scope: "api://v2api/.default"))
        let token = try DecodedJWT(response.accessToken)
        #expect(Set(token.payload.keys) == ["aud", "iss", "iat", "nbf", "exp", "aio", "azp", "azpacr", "groups",
                                            "idtyp", "oid", "rh", "sub", "tid", "uti", "ver"])
        #expect(token.string("aud") == api.appID)
        #expect(token.string("iss") == "https://issuer.test:8443/\(tid)/v2.0")
        #expect(token.string("azp") == fixture.pipeline.application.appID)
        #expect(token.string("azpacr") == "1")
        #expect(token.string("ver") == "2.0")
        #expect(token.string("idtyp") == "app")
        #expect(token.string("oid") == fixture.pipeline.servicePrincipal.objectID)
        #expect(token.string("sub") == fixture.pipeline.servicePrincipal.objectID)
        #expect(token.string("tid") == tid)
        for absent in ["appid", "appidacr", "idp", "scp", "upn"] {
            #expect(token.payload[absent] == nil, "\(absent)")
        }
        _ = try await test.verify(response.accessToken, audience: api.appID, tenantID: tid, version: 2)
    }

    @Test func tokenVersionFollowsTheResourceNotTheEndpoint() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let (api, _) = try await test.administration.createApplication(
            tenant: "contoso", displayName: "api", identifierURIs: ["api://v2api"], accessTokenVersion: 2)
        let secret = try #require(fixture.pipeline.password)
        let parameters = ["grant_type": "client_credentials", "client_id": fixture.pipeline.application.appID,
                          "client_secret": secret]

        var v1Endpoint = parameters
        v1Endpoint["resource"] = "api://v2api"
        let v2Token = try DecodedJWT(try await test.requestToken(tenant: "contoso", version: .v1, v1Endpoint).accessToken)
        #expect(v2Token.string("ver") == "2.0")
        #expect(v2Token.string("aud") == api.appID)

        var v2Endpoint = parameters
        v2Endpoint["scope"] = AKS.scope
        let v1Token = try DecodedJWT(try await test.requestToken(tenant: "contoso", version: .v2, v2Endpoint).accessToken)
        #expect(v1Token.string("ver") == "1.0")
        #expect(v1Token.string("iss") == "https://issuer.test:8443/\(fixture.tenant.id)/")
    }

    @Test func aPrincipalWithoutGroupsGetsNoGroupsClaim() async throws {
        let test = try await TestIssuer.make()
        _ = try await test.administration.createTenant(name: "contoso")
        let loner = try await test.administration.createServicePrincipalForRBAC(tenant: "contoso", name: "loner", credential: .secret)
        let token = try DecodedJWT(try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(loner)).accessToken)
        #expect(token.payload["groups"] == nil)
        #expect(token.payload["_claim_names"] == nil)
    }

    @Test func groupsAboveTheOverageLimitBecomeTheOverageMarker() async throws {
        let test = try await TestIssuer.make { $0.groupOverageLimit = 2 }
        let fixture = try await DirectoryFixture.make(in: test)
        let principalID = fixture.pipeline.servicePrincipal.objectID

        // Two groups (inner, outer): at the limit, still listed.
        let atLimit = try DecodedJWT(try await test.requestToken(tenant: "contoso",
                                                                 TestIssuer.secretParameters(fixture.pipeline)).accessToken)
        #expect(atLimit.strings("groups")?.count == 2)
        #expect(atLimit.payload["_claim_names"] == nil)

        let third = try await test.administration.createGroup(tenant: "contoso", displayName: "third", mailNickname: nil)
        try await test.administration.addGroupMember(tenant: "contoso", groupID: third.objectID, memberID: principalID)
        let over = try DecodedJWT(try await test.requestToken(tenant: "contoso",
                                                              TestIssuer.secretParameters(fixture.pipeline)).accessToken)
        #expect(over.payload["groups"] == nil)
        let names = try #require(over.payload["_claim_names"] as? [String: String])
        #expect(names == ["groups": "src1"])
        let sources = try #require(over.payload["_claim_sources"] as? [String: [String: String]])
        #expect(sources == ["src1": ["endpoint": "https://issuer.test:8443/v1.0/servicePrincipals/\(principalID)/getMemberObjects"]])
    }

    @Test func defaultLifetimeIsBetween60And90Minutes() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        var lifetimes: Set<Int> = []
        for _ in 0..<12 {
            let response = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
            let token = try DecodedJWT(response.accessToken)
            let lifetime = try #require(token.integer("exp")) - (try #require(token.integer("iat")))
            #expect((3600...5400).contains(lifetime))
            #expect(response.expiresIn == lifetime)
            #expect(response.notBefore == token.integer("iat"))
            #expect(response.expiresOn == token.integer("exp"))
            lifetimes.insert(lifetime)
        }
        // Drawn at random: twelve draws from 1801 values are not all the same.
        #expect(lifetimes.count > 1)
    }

    @Test func aConfiguredLifetimeIsFixed() async throws {
        let test = try await TestIssuer.make { $0.accessTokenLifetime = .fixed(1800) }
        let fixture = try await DirectoryFixture.make(in: test)
        for _ in 0..<3 {
            let response = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
            let token = try DecodedJWT(response.accessToken)
            #expect(response.expiresIn == 1800)
            #expect(token.integer("exp") == Int(test.clock.now().timeIntervalSince1970) + 1800)
        }
    }

    @Test func everyTokenHasItsOwnUti() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        var ids: Set<String> = []
        for _ in 0..<5 {
            let token = try DecodedJWT(try await test.requestToken(tenant: "contoso",
                                                                   TestIssuer.secretParameters(fixture.pipeline)).accessToken)
            ids.insert(try #require(token.string("uti")))
        }
        #expect(ids.count == 5)
    }
}
