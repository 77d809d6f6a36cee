import Cryptography
import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Federated (workload identity) assertions")
struct FederatedAssertionTests {
    static let clusterIssuer = "https://k8s.example.test"
    static let subject = "system:serviceaccount:default:wl"
    static let keyID = "sa-key-1"

    private struct Setup {
        let test: TestIssuer
        let fixture: DirectoryFixture
        let clusterKey: PrivateKey
        var appID: String { fixture.pipeline.application.appID }

        /// A projected service-account token as the cluster would sign it.
        func serviceAccountToken(issuer: String = FederatedAssertionTests.clusterIssuer,
                                 subject: String = FederatedAssertionTests.subject,
                                 audience: String = WellKnownApplications.tokenExchangeAudience,
                                 issuedAt: Date? = nil, lifetime: Int = 3600,
                                 key: PrivateKey? = nil, keyID: String = FederatedAssertionTests.keyID) throws -> String {
            let iat = Int((issuedAt ?? test.clock.now()).timeIntervalSince1970)
            let claims = JSONValue.object([
                ("aud", .strings([audience])), ("exp", .integer(iat + lifetime)), ("iat", .integer(iat)),
                ("iss", .string(issuer)), ("nbf", .integer(iat)), ("sub", .string(subject)),
            ])
            let signer = try JWTSigner(key: key ?? clusterKey, algorithm: .rs256, keyID: keyID)
            return try signer.sign(claimsJSON: claims.serialized())
        }

        func parameters(_ assertion: String) -> [String: String] {
            // Exactly what azure-identity's WorkloadIdentityCredential sends.
            ["grant_type": "client_credentials", "client_id": appID, "scope": AKS.scope,
             "client_assertion_type": GrantType.jwtBearerAssertionType, "client_assertion": assertion]
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
        let clusterKey = try PrivateKey.generateRSA()
        test.externalKeys.publish(VerificationKey(keyID: keyID, algorithm: .rs256, publicKey: clusterKey.publicKey),
                                  issuer: clusterIssuer)
        _ = try await test.administration.createFederatedCredential(
            tenant: "contoso", appID: fixture.pipeline.application.appID, name: "wl", issuer: clusterIssuer,
            subject: subject, audiences: [WellKnownApplications.tokenExchangeAudience])
        return Setup(test: test, fixture: fixture, clusterKey: clusterKey)
    }

    @Test func aServiceAccountTokenFromTheTrustedIssuerYieldsAnAppToken() async throws {
        let setup = try await Self.setUp()
        let assertion = try setup.serviceAccountToken()
        let response = try await setup.test.requestToken(tenant: "contoso", setup.parameters(assertion))
        let token = try DecodedJWT(response.accessToken)
        #expect(token.string("appid") == setup.appID)
        #expect(token.string("appidacr") == "2")
        #expect(token.string("oid") == setup.fixture.pipeline.servicePrincipal.objectID)
        #expect(token.string("aud") == AKS.serverAppID)
        #expect(token.strings("groups") == [setup.fixture.inner.objectID, setup.fixture.outer.objectID].sorted())
        #expect(setup.test.externalKeys.lookupCount == 1)
        _ = try await setup.test.verify(response.accessToken, audience: AKS.serverAppID, tenantID: setup.fixture.tenant.id)

        // The kubelet refreshes the projected token rarely; the same one is presented again.
        setup.test.clock.advance(by: 600)
        _ = try await setup.test.requestToken(tenant: "contoso", setup.parameters(assertion))
    }

    @Test func wrongSubjectIs70021() async throws {
        let setup = try await Self.setUp()
        let error = await setup.failure(try setup.serviceAccountToken(subject: "system:serviceaccount:default:other"))
        #expect(error?.error == "invalid_request")
        #expect(error?.code == 70021)
        #expect(error?.httpStatus == 400)
        #expect(error?.message.contains("system:serviceaccount:default:other") == true)
    }

    @Test func wrongAudienceIs70021() async throws {
        let setup = try await Self.setUp()
        let error = await setup.failure(try setup.serviceAccountToken(audience: "https://kubernetes.default.svc"))
        #expect(error?.error == "invalid_request")
        #expect(error?.code == 70021)
    }

    @Test func unregisteredIssuerIs70021WithoutAnyKeyLookup() async throws {
        let setup = try await Self.setUp()
        let other = try PrivateKey.generateRSA()
        setup.test.externalKeys.publish(VerificationKey(keyID: "other", algorithm: .rs256, publicKey: other.publicKey),
                                        issuer: "https://attacker.example.test")
        for issuer in ["https://attacker.example.test", "https://k8s.example.test/", "https://K8S.example.test"] {
            let error = await setup.failure(try setup.serviceAccountToken(issuer: issuer, key: other, keyID: "other"))
            #expect(error?.error == "invalid_request", "\(issuer)")
            #expect(error?.code == 70021, "\(issuer)")
            #expect(error?.httpStatus == 400)
        }
        #expect(setup.test.externalKeys.lookupCount == 0)
    }

    @Test func expiredServiceAccountTokenIs700024() async throws {
        let setup = try await Self.setUp()
        let assertion = try setup.serviceAccountToken(lifetime: 600)
        setup.test.clock.advance(by: 600 + 61)
        let error = await setup.failure(assertion)
        #expect(error?.error == "invalid_client")
        #expect(error?.code == 700024)
        #expect(error?.httpStatus == 401)

        let notYet = await setup.failure(try setup.serviceAccountToken(issuedAt: setup.test.clock.now().addingTimeInterval(600)))
        #expect(notYet?.code == 700024)
    }

    @Test func aTokenSignedByAnotherKeyIs401() async throws {
        let setup = try await Self.setUp()
        let impostor = try PrivateKey.generateRSA()
        let forged = await setup.failure(try setup.serviceAccountToken(key: impostor))
        #expect(forged?.error == "invalid_client")
        #expect(forged?.code == 700027)
        #expect(forged?.httpStatus == 401)

        let unknownKeyID = await setup.failure(try setup.serviceAccountToken(keyID: "rotated-away"))
        #expect(unknownKeyID?.code == 700027)
        #expect(unknownKeyID?.httpStatus == 401)
    }

    @Test func aTrustedIssuerCannotSignInAsAnotherApplication() async throws {
        let setup = try await Self.setUp()
        // The certificate pipeline has no federated credential: the cluster's token is worthless for it.
        var parameters = setup.parameters(try setup.serviceAccountToken())
        parameters["client_id"] = setup.fixture.certificatePipeline.application.appID
        let error = await #expect(throws: OAuthError.self) {
            try await setup.test.requestToken(tenant: "contoso", parameters)
        }
        #expect(error?.code == 70021)
        #expect(setup.test.externalKeys.lookupCount == 0)
    }
}
