import Cryptography
import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Certificate client assertions (private_key_jwt)")
struct CertificateAssertionTests {
    private struct Setup {
        let test: TestIssuer
        let fixture: DirectoryFixture
        let builder: ClientAssertionBuilder
        var appID: String { fixture.certificatePipeline.application.appID }
        var audience: String { test.tokenEndpoint("contoso") }
        var now: Date { test.clock.now() }

        func parameters(_ assertion: String) -> [String: String] {
            ["grant_type": "client_credentials", "client_id": appID, "scope": AKS.scope,
             "client_assertion_type": GrantType.jwtBearerAssertionType, "client_assertion": assertion]
        }

        func token(_ assertion: String, version: EndpointVersion = .v2) async throws -> DecodedJWT {
            var parameters = parameters(assertion)
            if version == .v1 {
                parameters["scope"] = nil
                parameters["resource"] = AKS.serverAppID
            }
            return try DecodedJWT(try await test.requestToken(tenant: "contoso", version: version, parameters).accessToken)
        }

        func failure(_ assertion: String, sourceLocation: SourceLocation = #_sourceLocation) async -> OAuthError? {
            await #expect(throws: OAuthError.self, sourceLocation: sourceLocation) {
                try await test.requestToken(tenant: "contoso", parameters(assertion))
            }
        }
    }

    private static func setUp() async throws -> Setup {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        return Setup(test: test, fixture: fixture, builder: try ClientAssertionBuilder(pemFile: fixture.certificateFile))
    }

    /// Signs `header`.`claims` by hand, for shapes the builder does not make.
    /// - Parameter padded: base64url *with* `=` padding in all three segments, and the signature
    ///   computed over the padded text (azure-identity's AadClient does exactly this).
    private static func handMade(header: [String: Any], claims: [String: Any], key: PrivateKey,
                                 algorithm: JWSAlgorithm, padded: Bool = false) throws -> String {
        func encode(_ bytes: [UInt8]) -> String {
            let text = Base64URL.encode(bytes)
            return padded ? text + String(repeating: "=", count: (4 - text.count % 4) % 4) : text
        }
        let headerJSON = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let claimsJSON = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let input = encode(Array(headerJSON)) + "." + encode(Array(claimsJSON))
        return input + "." + encode(try key.sign(Array(input.utf8), algorithm: algorithm))
    }

    private static func paddedBase64URL(_ bytes: [UInt8]) -> String {
        let text = Base64URL.encode(bytes)
        return text + String(repeating: "=", count: (4 - text.count % 4) % 4)
    }

    @Test func rs256WithPaddedX5TAuthenticatesAsCertificate() async throws {
        let setup = try await Self.setUp()
        let assertion = try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now)
        let header = try #require(DecodedJWT(assertion).header["x5t"] as? String)
        #expect(header.hasSuffix("="))
        let token = try await setup.token(assertion)
        #expect(token.string("appid") == setup.appID)
        #expect(token.string("appidacr") == "2")
        #expect(token.string("oid") == setup.fixture.certificatePipeline.servicePrincipal.objectID)
        #expect(token.strings("groups") == [setup.fixture.inner.objectID, setup.fixture.outer.objectID].sorted())
    }

    @Test func ps256WithX5TS256Authenticates() async throws {
        let setup = try await Self.setUp()
        var builder = setup.builder
        builder.algorithm = .ps256
        builder.thumbprint = .sha256
        let assertion = try builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now)
        #expect(try DecodedJWT(assertion).header["x5t#S256"] != nil)
        #expect(try await setup.token(assertion).string("appidacr") == "2")
    }

    @Test func unpaddedX5TAuthenticates() async throws {
        let setup = try await Self.setUp()
        var builder = setup.builder
        builder.padThumbprint = false
        let assertion = try builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now)
        #expect(try await setup.token(assertion).string("appidacr") == "2")
    }

    @Test func x5cAloneAuthenticates() async throws {
        let setup = try await Self.setUp()
        var builder = setup.builder
        builder.thumbprint = .none
        builder.includeX5C = true
        let assertion = try builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now)
        let header = try DecodedJWT(assertion).header
        #expect(header["x5t"] == nil && header["x5t#S256"] == nil)
        #expect(try await setup.token(assertion).string("appidacr") == "2")
    }

    @Test func x5cWithEmbeddedNewlinesAuthenticates() async throws {
        // MSAL Python's `public_certificate` sends the PEM body lines, newlines included.
        let setup = try await Self.setUp()
        let lines = setup.builder.certificate.pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }
        let now = setup.now.timeIntervalSince1970
        let assertion = try Self.handMade(
            header: ["alg": "PS256", "typ": "JWT", "x5c": [lines.joined(separator: "\n")]],
            claims: ["aud": setup.audience, "iss": setup.appID, "sub": setup.appID, "jti": UUID().uuidString,
                     "iat": now, "exp": now + 600],
            key: setup.builder.key, algorithm: .ps256)
        #expect(try await setup.token(assertion).string("appidacr") == "2")
    }

    @Test func allThreeSegmentsPaddedVerify() async throws {
        // azure-identity AadClient: PS256 + x5t#S256, integer nbf, every segment padded.
        let setup = try await Self.setUp()
        let nbf = Int(setup.now.timeIntervalSince1970)
        var assertion = ""
        var attempt = 0
        // Pick claims whose segments really need padding, so the test cannot pass vacuously.
        repeat {
            attempt += 1
            assertion = try Self.handMade(
                header: ["alg": "PS256", "typ": "JWT",
                         "x5t#S256": Self.paddedBase64URL(setup.builder.certificate.sha256Thumbprint)],
                claims: ["aud": setup.audience, "iss": setup.appID, "sub": setup.appID,
                         "jti": UUID().uuidString + String(repeating: "x", count: attempt), "nbf": nbf, "exp": nbf + 600],
                key: setup.builder.key, algorithm: .ps256, padded: true)
        } while attempt < 20 && !assertion.split(separator: ".").allSatisfy({ $0.hasSuffix("=") })
        try #require(assertion.split(separator: ".").allSatisfy { $0.hasSuffix("=") })
        #expect(try await setup.token(assertion).string("appidacr") == "2")
    }

    @Test func everyTokenEndpointSpellingIsAnAcceptedAudience() async throws {
        let setup = try await Self.setUp()
        let base = TestIssuer.issuerURL
        let tid = setup.fixture.tenant.id
        let audiences = ["\(base)/\(tid)/oauth2/v2.0/token", "\(base)/contoso/oauth2/v2.0/token",
                         "\(base)/\(tid)/oauth2/token", "\(base)/\(tid)/oauth2/token?api-version=1.0",
                         "\(base)/\(tid)/v2.0", "\(base)/\(tid)/"]
        for audience in audiences {
            let assertion = try setup.builder.make(clientID: setup.appID, audience: audience, now: setup.now)
            #expect(try await setup.token(assertion, version: .v1).string("appidacr") == "2", "\(audience)")
        }
        let array = try setup.builder.make(clientID: setup.appID, audience: "", now: setup.now,
                                           overrides: ["aud": ["https://elsewhere.test/token", audiences[0]]])
        #expect(try await setup.token(array).string("appidacr") == "2")
    }

    @Test func unknownCertificateIs401() async throws {
        let setup = try await Self.setUp()
        let key = try PrivateKey.generateRSA()
        let stranger = ClientAssertionBuilder(key: key, certificate: try Certificate.selfSigned(commonName: "stranger", key: key,
                                                                                                validFor: 3600))
        let error = await setup.failure(try stranger.make(clientID: setup.appID, audience: setup.audience, now: setup.now))
        #expect(error?.error == "invalid_client")
        #expect(error?.code == 700021)
        #expect(error?.httpStatus == 401)
    }

    @Test func registeredThumbprintSignedByAnotherKeyIs401() async throws {
        let setup = try await Self.setUp()
        var forged = setup.builder
        forged.key = try PrivateKey.generateRSA()
        let error = await setup.failure(try forged.make(clientID: setup.appID, audience: setup.audience, now: setup.now))
        #expect(error?.error == "invalid_client")
        #expect(error?.code == 700027)
        #expect(error?.httpStatus == 401)
    }

    @Test func aDifferentAssertionReusingAJTIIsRefusedEvenFromTheSameAddress() async throws {
        let setup = try await Self.setUp()
        let jwtID = UUID().uuidString
        let assertion = try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now, jwtID: jwtID)
        _ = try await setup.token(assertion)
        setup.test.clock.advance(by: 30)

        let reminted = try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now, jwtID: jwtID)
        try #require(reminted != assertion)
        let error = await setup.failure(reminted)
        #expect(error?.error == "invalid_client")
        #expect(error?.code == 700025)
        #expect(error?.httpStatus == 401)
    }

    @Test func theIdenticalAssertionFromTheSameAddressPassesInsideTheReuseWindow() async throws {
        // MSAL Python re-sends one signed assertion for 540 s; Entra accepts that.
        let setup = try await Self.setUp()
        let assertion = try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now)
        _ = try await setup.token(assertion)
        setup.test.clock.advance(by: 540)
        #expect(try await setup.token(assertion).string("appidacr") == "2")
        setup.test.clock.advance(by: 600 + 61 - 540)
        #expect(await setup.failure(assertion)?.code == 700024)
    }

    @Test func theIdenticalAssertionFromAnotherAddressIsRefused() async throws {
        let setup = try await Self.setUp()
        let assertion = try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now)
        _ = try await setup.token(assertion)
        setup.test.clock.advance(by: 5)
        let elsewhere = await #expect(throws: OAuthError.self) {
            try await setup.test.requestToken(tenant: "contoso", setup.parameters(assertion), from: "203.0.113.9")
        }
        #expect(elsewhere?.error == "invalid_client")
        #expect(elsewhere?.code == 700025)
        #expect(elsewhere?.httpStatus == 401)
        // The refusal does not open a second window for the other address.
        #expect(await #expect(throws: OAuthError.self) {
            try await setup.test.requestToken(tenant: "contoso", setup.parameters(assertion), from: "203.0.113.9")
        }?.code == 700025)
    }

    @Test func theIdenticalAssertionAfterTheReuseWindowIsRefused() async throws {
        // Re-use counts from the assertion's signing time (`iat`, else `nbf`, else `exp` less
        // 600 s), not from its `exp`: an assertion allowed to live 11 minutes is still re-sent
        // only for MSAL's 540 s (+ 60 s skew).
        let setup = try await Self.setUp()
        let now = setup.now.timeIntervalSince1970
        let withIssuedAt = try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now, lifetime: 655)
        let withNothing = try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now,
                                                 overrides: ["iat": NSNull(), "exp": now + 655])
        let withNotBefore = try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now,
                                                   overrides: ["iat": NSNull(), "nbf": now, "exp": now + 655])
        for assertion in [withIssuedAt, withNothing, withNotBefore] {
            _ = try await setup.token(assertion)
        }
        setup.test.clock.advance(by: 540 + 60 - 5)
        _ = try await setup.token(withIssuedAt)
        _ = try await setup.token(withNotBefore)
        setup.test.clock.advance(by: 10)
        // Past the window, yet before `exp` + skew: refused as a replay, not as expired…
        for assertion in [withIssuedAt, withNotBefore] {
            let error = await setup.failure(assertion)
            #expect(error?.error == "invalid_client")
            #expect(error?.code == 700025)
            #expect(error?.httpStatus == 401)
        }
        // …and it stays refused.
        setup.test.clock.advance(by: 10)
        #expect(await setup.failure(withIssuedAt)?.code == 700025)
        // Without `iat` or `nbf` the window ends at `exp`: the skew minute after it is not re-use.
        _ = try await setup.token(withNothing)
        setup.test.clock.advance(by: 655 - 615 + 5)
        #expect(await setup.failure(withNothing)?.code == 700025)
    }

    @Test func expMoreThanTenMinutesAheadIs700024() async throws {
        let setup = try await Self.setUp()
        let now = setup.now.timeIntervalSince1970
        // Ten minutes (what MSAL sends) is accepted…
        _ = try await setup.token(try setup.builder.make(clientID: setup.appID, audience: setup.audience,
                                                         now: setup.now, lifetime: 600))
        // …eleven minutes and more are not (the 60 s clock-skew allowance is the only slack).
        for ahead: Double in [661, 11 * 60 + 0.5, 1800, 24 * 3600] {
            let error = await setup.failure(try setup.builder.make(clientID: setup.appID, audience: setup.audience,
                                                                   now: setup.now, overrides: ["exp": now + ahead]))
            #expect(error?.error == "invalid_client", "\(ahead)")
            #expect(error?.code == 700024, "\(ahead)")
            #expect(error?.httpStatus == 401)
        }
    }

    @Test func expiredAssertionIs700024() async throws {
        let setup = try await Self.setUp()
        let assertion = try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now)
        setup.test.clock.advance(by: 600 + 61)
        let error = await setup.failure(assertion)
        #expect(error?.error == "invalid_client")
        #expect(error?.code == 700024)
        #expect(error?.httpStatus == 401)

        let noExp = await setup.failure(try setup.builder.make(clientID: setup.appID, audience: setup.audience,
                                                               now: setup.now, overrides: ["exp": NSNull()]))
        #expect(noExp?.code == 700024)
        let future = await setup.failure(try setup.builder.make(
            clientID: setup.appID, audience: setup.audience, now: setup.now,
            overrides: ["nbf": setup.now.timeIntervalSince1970 + 300]))
        #expect(future?.code == 700024)
    }

    @Test func wrongAudienceIs401() async throws {
        let setup = try await Self.setUp()
        _ = try await setup.test.administration.createTenant(name: "fabrikam")
        for audience in ["https://evil.test/contoso/oauth2/v2.0/token", "\(TestIssuer.issuerURL)/fabrikam/oauth2/v2.0/token",
                         "\(TestIssuer.issuerURL)/contoso/oauth2/v2.0/devicecode", AKS.serverAppID] {
            let error = await setup.failure(try setup.builder.make(clientID: setup.appID, audience: audience, now: setup.now))
            #expect(error?.error == "invalid_client", "\(audience)")
            #expect(error?.code == 700027, "\(audience)")
            #expect(error?.httpStatus == 401)
        }
    }

    @Test func subjectOtherThanIssuerIs50048() async throws {
        let setup = try await Self.setUp()
        let error = await setup.failure(try setup.builder.make(clientID: setup.appID, audience: setup.audience,
                                                               now: setup.now, overrides: ["sub": ObjectID.make()]))
        #expect(error?.error == "invalid_client")
        #expect(error?.code == 50048)
        #expect(error?.httpStatus == 401)
    }

    @Test func algNoneIs401() async throws {
        let setup = try await Self.setUp()
        let now = setup.now.timeIntervalSince1970
        let header = #"{"alg":"none","typ":"JWT","x5t":"\#(Base64URL.encode(setup.builder.certificate.sha1Thumbprint))"}"#
        let claims = #"{"aud":"\#(setup.audience)","iss":"\#(setup.appID)","sub":"\#(setup.appID)","#
            + #""jti":"\#(UUID().uuidString)","exp":\#(Int(now) + 600)}"#
        let unsigned = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        for assertion in [unsigned + ".", unsigned + "." + Base64URL.encode(Array("x".utf8))] {
            let error = await setup.failure(assertion)
            #expect(error?.error == "invalid_client")
            #expect(error?.code == 700027)
            #expect(error?.httpStatus == 401)
        }
    }

    @Test func hs256KeyedWithTheCertificatesPublicKeyIs401() async throws {
        // RFC 8725 §2.1 algorithm confusion: HMAC "signed" with the public key the server knows.
        let setup = try await Self.setUp()
        let now = setup.now.timeIntervalSince1970
        let header = #"{"alg":"HS256","typ":"JWT","x5t":"\#(Base64URL.encode(setup.builder.certificate.sha1Thumbprint))"}"#
        let claims = #"{"aud":"\#(setup.audience)","iss":"\#(setup.appID)","sub":"\#(setup.appID)","#
            + #""jti":"\#(UUID().uuidString)","exp":\#(Int(now) + 600)}"#
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        for secret in [setup.builder.certificate.publicKey.pem, setup.builder.certificate.pem] {
            let signature = Digest.hmacSHA256(key: Array(secret.utf8), message: Array(input.utf8))
            let error = await setup.failure(input + "." + Base64URL.encode(signature))
            #expect(error?.error == "invalid_client")
            #expect(error?.code == 700027)
            #expect(error?.httpStatus == 401)
        }
    }

    @Test func tamperedAssertionIs401() async throws {
        let setup = try await Self.setUp()
        let assertion = try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now)
        let parts = assertion.split(separator: ".").map(String.init)
        let payload = String(decoding: Base64URL.decode(parts[1]) ?? [], as: UTF8.self)
        let longer = payload.replacingOccurrences(of: "\"jti\":\"", with: "\"jti\":\"x")
        try #require(longer != payload)
        let tampered = [parts[0], Base64URL.encode(Array(longer.utf8)), parts[2]].joined(separator: ".")
        let error = await setup.failure(tampered)
        #expect(error?.error == "invalid_client")
        #expect(error?.code == 700027)
        #expect(error?.httpStatus == 401)
        // The original was never used, and still works.
        #expect(try await setup.token(assertion).string("appidacr") == "2")
    }

    @Test func assertionForAnExpiredCertificateIs401() async throws {
        let setup = try await Self.setUp()
        setup.test.clock.set(setup.builder.certificate.notAfter.addingTimeInterval(60))
        let error = await setup.failure(try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now))
        #expect(error?.error == "invalid_client")
        #expect(error?.httpStatus == 401)
    }

    @Test func assertionTypeMustBeJWTBearerAndExclusiveWithASecret() async throws {
        let setup = try await Self.setUp()
        let assertion = try setup.builder.make(clientID: setup.appID, audience: setup.audience, now: setup.now)
        var wrongType = setup.parameters(assertion)
        wrongType["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"
        let typeError = await #expect(throws: OAuthError.self) {
            try await setup.test.requestToken(tenant: "contoso", wrongType)
        }
        #expect(typeError?.error == "invalid_request")
        #expect(typeError?.code == 90014)

        var both = setup.parameters(assertion)
        both["client_secret"] = "s"
        let bothError = await #expect(throws: OAuthError.self) {
            try await setup.test.requestToken(tenant: "contoso", both)
        }
        #expect(bothError?.error == "invalid_request")

        let malformed = await setup.failure("not.a.jwt")
        #expect(malformed?.code == 700027)
    }
}
