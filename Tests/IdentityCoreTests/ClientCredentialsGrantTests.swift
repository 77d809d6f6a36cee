import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Client credentials grant")
struct ClientCredentialsGrantTests {
    private static func setUp() async throws -> (TestIssuer, DirectoryFixture) {
        let test = try await TestIssuer.make()
        return (test, try await DirectoryFixture.make(in: test))
    }

    /// The error a request fails with; a success is a test failure.
    private static func failure(_ test: TestIssuer, tenant: String = "contoso", version: EndpointVersion = .v2,
                                _ parameters: [String: String], basic: (id: String, secret: String)? = nil,
                                userAgent: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async -> OAuthError? {
        await #expect(throws: OAuthError.self, sourceLocation: sourceLocation) {
            try await test.requestToken(tenant: tenant, version: version, parameters, basic: basic, userAgent: userAgent)
        }
    }

    @Test func secretInTheBodySucceeds() async throws {
        let (test, fixture) = try await Self.setUp()
        let response = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
        #expect(response.refreshToken == nil)
        #expect(response.idToken == nil)
        #expect(response.scope == nil)
        #expect(response.resource == nil)
        let claims = try await test.verify(response.accessToken, audience: AKS.serverAppID, tenantID: fixture.tenant.id)
        #expect(claims.string("appid") == fixture.pipeline.application.appID)
    }

    @Test func secretWithBasicAuthenticationSucceeds() async throws {
        let (test, fixture) = try await Self.setUp()
        let appID = fixture.pipeline.application.appID
        let secret = try #require(fixture.pipeline.password)
        let response = try await test.requestToken(
            tenant: fixture.tenant.id, ["grant_type": "client_credentials", "scope": AKS.scope],
            basic: (appID, secret))
        #expect(try DecodedJWT(response.accessToken).string("appid") == appID)

        // Basic and a matching client_id in the body is fine; a different one is not.
        _ = try await test.requestToken(tenant: "contoso", ["grant_type": "client_credentials", "scope": AKS.scope,
                                                            "client_id": appID], basic: (appID, secret))
        let error = await Self.failure(test, ["grant_type": "client_credentials", "scope": AKS.scope,
                                              "client_id": AKS.clientAppID], basic: (appID, secret))
        #expect(error?.error == "invalid_request")
    }

    @Test func everyOutcomeIsInTheSignInLogInTheNextBatch() async throws {
        // Each issuance and each refused sign-in is one sign-in record, with the token's id but
        // never the token or the secret.
        let (test, fixture) = try await Self.setUp()
        let appID = fixture.pipeline.application.appID
        let secret = try #require(fixture.pipeline.password)
        let issued = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
        _ = await Self.failure(test, TestIssuer.secretParameters(fixture.pipeline, secret: "wrong"))
        // Batched: nothing is written until the buffer is flushed.
        #expect(try await test.store.signIns(SignInQuery(tenantID: fixture.tenant.id)).records.isEmpty)
        #expect(test.issuer.signInLog.buffer.pendingCount == 2)

        await test.issuer.signInLog.buffer.flush()
        let stored = try await test.store.signIns(SignInQuery(tenantID: fixture.tenant.id)).records
        try #require(stored.count == 2)
        let success = try #require(stored.first { $0.succeeded })
        let failure = try #require(stored.first { !$0.succeeded })
        let principal = fixture.pipeline.servicePrincipal
        #expect(success.servicePrincipalId == principal.objectID && success.servicePrincipalName == principal.displayName)
        #expect(success.appId == appID && success.userId == nil && !success.isInteractive)
        #expect(success.resourceId == AKS.serverAppID && success.resourceTenantId == fixture.tenant.id)
        #expect(success.clientAppUsed == nil && success.conditionalAccessStatus == "notApplied")
        #expect(success.uniqueTokenIdentifier == (try DecodedJWT(issued.accessToken).string("uti")))
        #expect(failure.status.errorCode == 7000215 && failure.appId == appID)
        #expect(failure.servicePrincipalId == principal.objectID)
        #expect(failure.status.failureReason?.contains("Invalid client secret") == true)
        for record in stored {
            #expect(record.ipAddress != nil)
            let text = "\(record)"
            #expect(!text.contains(secret) && !text.contains(issued.accessToken))
        }
        #expect(test.issuer.signInLog.buffer.pendingCount == 0)
    }

    @Test func requestSuppliedSignInFieldsAreBounded() async throws {
        // A flood of failures with huge client ids must not fill the sign-in buffer's memory.
        let (test, _) = try await Self.setUp()
        let huge = String(repeating: "x", count: 20_000)
        _ = await Self.failure(test, ["grant_type": "client_credentials", "client_id": huge, "client_secret": "s",
                                      "scope": AKS.scope], userAgent: huge)
        await test.issuer.signInLog.buffer.flush()
        let records = try await test.store.signIns(SignInQuery()).records
        try #require(records.count == 1)
        let clientID = try #require(records[0].appId)
        #expect(clientID.count == 256 && clientID.hasPrefix("xxxx") && clientID.hasSuffix("…"))
        #expect(records[0].userAgent?.count == 256)
    }

    @Test func wrongSecretIsInvalidClient7000215() async throws {
        let (test, fixture) = try await Self.setUp()
        let error = await Self.failure(test, TestIssuer.secretParameters(fixture.pipeline, secret: "wrong"))
        #expect(error?.error == "invalid_client")
        #expect(error?.code == 7000215)
        #expect(error?.httpStatus == 401)
        #expect(error?.message.contains(fixture.pipeline.application.appID) == true)
    }

    @Test func expiredSecretIs7000222() async throws {
        let (test, fixture) = try await Self.setUp()
        test.clock.advance(by: 365 * 24 * 3600 - 1)
        _ = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
        test.clock.advance(by: 2)
        let error = await Self.failure(test, TestIssuer.secretParameters(fixture.pipeline))
        #expect(error?.error == "invalid_client")
        #expect(error?.code == 7000222)
        #expect(error?.httpStatus == 401)
        // A wrong secret is still "invalid", not "expired".
        #expect(await Self.failure(test, TestIssuer.secretParameters(fixture.pipeline, secret: "wrong"))?.code == 7000215)
    }

    @Test func unknownClientIs700016() async throws {
        let (test, _) = try await Self.setUp()
        for clientID in [ObjectID.make(), "not-a-guid"] {
            let error = await Self.failure(test, ["grant_type": "client_credentials", "client_id": clientID,
                                                  "client_secret": "s", "scope": AKS.scope])
            #expect(error?.error == "unauthorized_client")
            #expect(error?.code == 700016)
            #expect(error?.httpStatus == 400)
        }
    }

    @Test func aClientOfAnotherTenantIsUnknown() async throws {
        let (test, fixture) = try await Self.setUp()
        _ = try await test.administration.createTenant(name: "fabrikam")
        let error = await Self.failure(test, tenant: "fabrikam", TestIssuer.secretParameters(fixture.pipeline))
        #expect(error?.code == 700016)
    }

    @Test func publicClientWithoutSecretIs7000219() async throws {
        let (test, _) = try await Self.setUp()
        let error = await Self.failure(test, ["grant_type": "client_credentials", "client_id": AKS.clientAppID,
                                              "scope": AKS.scope])
        #expect(error?.error == "invalid_client")
        #expect(error?.code == 7000219)
        #expect(error?.httpStatus == 401)
    }

    @Test func confidentialClientWithoutCredentialIs7000218() async throws {
        let (test, fixture) = try await Self.setUp()
        for secret in [nil, ""] as [String?] {
            var parameters = ["grant_type": "client_credentials", "client_id": fixture.pipeline.application.appID,
                              "scope": AKS.scope]
            parameters["client_secret"] = secret
            let error = await Self.failure(test, parameters)
            #expect(error?.error == "invalid_client")
            #expect(error?.code == 7000218)
            #expect(error?.httpStatus == 401)
        }
    }

    @Test func basicAndBodySecretTogetherIsInvalidRequest() async throws {
        let (test, fixture) = try await Self.setUp()
        let secret = try #require(fixture.pipeline.password)
        let error = await Self.failure(test, TestIssuer.secretParameters(fixture.pipeline),
                                       basic: (fixture.pipeline.application.appID, secret))
        #expect(error?.error == "invalid_request")
        #expect(error?.code == 90014)
        #expect(error?.httpStatus == 400)
    }

    @Test func missingClientIDIs900144() async throws {
        let (test, _) = try await Self.setUp()
        let error = await Self.failure(test, ["grant_type": "client_credentials", "client_secret": "s", "scope": AKS.scope])
        #expect(error?.code == 900144)
        #expect(error?.message.contains("'client_id'") == true)
    }

    @Test func resourceOnTheV2EndpointIs901002() async throws {
        let (test, fixture) = try await Self.setUp()
        var parameters = TestIssuer.secretParameters(fixture.pipeline)
        parameters["resource"] = AKS.serverAppID
        let error = await Self.failure(test, parameters)
        #expect(error?.error == "invalid_request")
        #expect(error?.code == 901002)
        #expect(error?.httpStatus == 400)
    }

    @Test func missingScopeIs900144() async throws {
        let (test, fixture) = try await Self.setUp()
        var parameters = TestIssuer.secretParameters(fixture.pipeline)
        parameters["scope"] = nil
        let error = await Self.failure(test, parameters)
        #expect(error?.error == "invalid_request")
        #expect(error?.code == 900144)
        #expect(error?.message.contains("'scope'") == true)

        let v1 = await Self.failure(test, version: .v1, parameters)
        #expect(v1?.code == 900144)
        #expect(v1?.message.contains("'resource'") == true)
    }

    @Test func scopeWithoutDotDefaultIs1002012() async throws {
        let (test, fixture) = try await Self.setUp()
        for scope in ["\(AKS.serverAppID)/user.read", AKS.serverAppID, "/.default"] {
            let error = await Self.failure(test, TestIssuer.secretParameters(fixture.pipeline, scope: scope))
            #expect(error?.error == "invalid_scope", "\(scope)")
            #expect(error?.code == 1002012, "\(scope)")
        }
        let onlyOIDC = await Self.failure(test, TestIssuer.secretParameters(fixture.pipeline, scope: "openid profile"))
        #expect(onlyOIDC?.code == 70011)
    }

    @Test func twoResourcesAre700022() async throws {
        let (test, fixture) = try await Self.setUp()
        _ = try await test.administration.createApplication(tenant: "contoso", displayName: "api",
                                                            identifierURIs: ["api://other"])
        let error = await Self.failure(test, TestIssuer.secretParameters(
            fixture.pipeline, scope: "\(AKS.scope) api://other/.default"))
        #expect(error?.error == "invalid_scope")
        #expect(error?.code == 700022)
        #expect(error?.httpStatus == 400)
    }

    @Test func unknownResourceIs500011() async throws {
        let (test, fixture) = try await Self.setUp()
        for scope in ["api://nothing/.default", "\(ObjectID.make())/.default"] {
            let error = await Self.failure(test, TestIssuer.secretParameters(fixture.pipeline, scope: scope))
            #expect(error?.error == "invalid_resource", "\(scope)")
            #expect(error?.code == 500011, "\(scope)")
            #expect(error?.httpStatus == 400)
        }
    }

    @Test func unknownTenantIs90002() async throws {
        let (test, fixture) = try await Self.setUp()
        // `common` and `organizations` too, although the fixture's single tenant answers to them
        // for user sign-in: app-only tokens name their tenant, as Entra requires.
        for tenant in ["fabrikam", ObjectID.make(), "common", "organizations"] {
            let error = await Self.failure(test, tenant: tenant, TestIssuer.secretParameters(fixture.pipeline))
            #expect(error?.error == "invalid_tenant", "\(tenant)")
            #expect(error?.code == 90002, "\(tenant)")
            #expect(error?.httpStatus == 400)
        }
    }

    @Test func unsupportedGrantIs70003() async throws {
        let (test, fixture) = try await Self.setUp()
        for grant in ["implicit", "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:token-exchange",
                      "CLIENT_CREDENTIALS", "magic"] {
            var parameters = TestIssuer.secretParameters(fixture.pipeline)
            parameters["grant_type"] = grant
            let error = await Self.failure(test, parameters)
            #expect(error?.error == "unsupported_grant_type", "\(grant)")
            #expect(error?.code == 70003, "\(grant)")
        }
        var missing = TestIssuer.secretParameters(fixture.pipeline)
        missing["grant_type"] = nil
        #expect(await Self.failure(test, missing)?.code == 900144)
    }

    @Test func oidcScopesMayRideAlong() async throws {
        let (test, fixture) = try await Self.setUp()
        let response = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(
            fixture.pipeline, scope: "\(AKS.scope) openid offline_access profile"))
        #expect(response.refreshToken == nil)
        #expect(response.idToken == nil)
        #expect(try DecodedJWT(response.accessToken).string("aud") == AKS.serverAppID)
    }

    @Test func v1EndpointTakesTheResourceAsIdentifierOrSPN() async throws {
        let (test, fixture) = try await Self.setUp()
        for resource in [AKS.serverAppID, "spn:\(AKS.serverAppID)", AKS.serverAppID.uppercased()] {
            let parameters = ["grant_type": "client_credentials", "client_id": fixture.pipeline.application.appID,
                              "client_secret": fixture.pipeline.password ?? "", "resource": resource]
            let response = try await test.requestToken(tenant: "contoso", version: .v1, parameters)
            #expect(response.resource == resource)
            let token = try DecodedJWT(response.accessToken)
            #expect(token.string("aud") == resource)
            #expect(token.string("ver") == "1.0")
            _ = try await test.verify(response.accessToken, audience: resource, tenantID: fixture.tenant.id)
        }
    }

    @Test func identifierURIScopeYieldsTheIdentifierAsAudience() async throws {
        let (test, fixture) = try await Self.setUp()
        let (kubernetes, _) = try await test.administration.createApplication(
            tenant: "contoso", displayName: "kubernetes", identifierURIs: ["api://kubernetes"], accessTokenVersion: 1)

        let v2 = try await test.requestToken(tenant: "contoso",
                                             TestIssuer.secretParameters(fixture.pipeline, scope: "api://kubernetes/.default"))
        #expect(try DecodedJWT(v2.accessToken).string("aud") == "api://kubernetes")

        let parameters = ["grant_type": "client_credentials", "client_id": fixture.pipeline.application.appID,
                          "client_secret": fixture.pipeline.password ?? ""]
        var byURI = parameters
        byURI["resource"] = "api://kubernetes"
        let v1 = try await test.requestToken(tenant: "contoso", version: .v1, byURI)
        #expect(v1.resource == "api://kubernetes")
        #expect(try DecodedJWT(v1.accessToken).string("aud") == "api://kubernetes")

        var byID = parameters
        byID["resource"] = kubernetes.appID
        let v1ByID = try await test.requestToken(tenant: "contoso", version: .v1, byID)
        #expect(try DecodedJWT(v1ByID.accessToken).string("aud") == kubernetes.appID)
    }

    @Test func theTenantMayBeNamedByIDOrNameInAnyCase() async throws {
        let (test, fixture) = try await Self.setUp()
        for segment in [fixture.tenant.id, fixture.tenant.id.uppercased(), "contoso", "CONTOSO"] {
            let response = try await test.requestToken(tenant: segment, TestIssuer.secretParameters(fixture.pipeline))
            #expect(try DecodedJWT(response.accessToken).string("tid") == fixture.tenant.id, "\(segment)")
        }
    }
}
