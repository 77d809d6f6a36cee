import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Directory view cache")
struct DirectoryViewTests {
    @Test func withZeroStalenessAMembershipChangeShowsInTheNextToken() async throws {
        let test = try await TestIssuer.make { $0.directoryCacheStaleness = 0 }
        let fixture = try await DirectoryFixture.make(in: test)
        let before = try DecodedJWT(try await test.requestToken(tenant: "contoso",
                                                                TestIssuer.secretParameters(fixture.pipeline)).accessToken)
        #expect(before.strings("groups") == [fixture.inner.objectID, fixture.outer.objectID].sorted())

        let extra = try await test.administration.createGroup(tenant: "contoso", displayName: "extra", mailNickname: nil)
        try await test.administration.addGroupMember(tenant: "contoso", groupID: extra.objectID,
                                                     memberID: fixture.pipeline.servicePrincipal.objectID)
        let after = try DecodedJWT(try await test.requestToken(tenant: "contoso",
                                                               TestIssuer.secretParameters(fixture.pipeline)).accessToken)
        #expect(after.strings("groups") == [fixture.inner.objectID, fixture.outer.objectID, extra.objectID].sorted())
    }

    @Test func withStalenessAChangeShowsOnlyOnceTheClockPassesIt() async throws {
        let test = try await TestIssuer.make { $0.directoryCacheStaleness = 300 }
        let fixture = try await DirectoryFixture.make(in: test)
        let request = TestIssuer.secretParameters(fixture.pipeline)
        let original = [fixture.inner.objectID, fixture.outer.objectID].sorted()
        #expect(try DecodedJWT(try await test.requestToken(tenant: "contoso", request).accessToken)
            .strings("groups") == original)

        let extra = try await test.administration.createGroup(tenant: "contoso", displayName: "extra", mailNickname: nil)
        try await test.administration.addGroupMember(tenant: "contoso", groupID: extra.objectID,
                                                     memberID: fixture.pipeline.servicePrincipal.objectID)
        test.clock.advance(by: 299)
        #expect(try DecodedJWT(try await test.requestToken(tenant: "contoso", request).accessToken)
            .strings("groups") == original)

        test.clock.advance(by: 1)
        #expect(try DecodedJWT(try await test.requestToken(tenant: "contoso", request).accessToken)
            .strings("groups") == (original + [extra.objectID]).sorted())
    }

    @Test func aResetSecretTakesEffectAfterTheStalenessToo() async throws {
        let test = try await TestIssuer.make { $0.directoryCacheStaleness = 60 }
        let fixture = try await DirectoryFixture.make(in: test)
        _ = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
        let reset = try await test.administration.resetCredential(tenant: "contoso",
                                                                  appID: fixture.pipeline.application.appID,
                                                                  credential: .secret)
        // Within the staleness the cached credentials still answer…
        test.clock.advance(by: 59)
        _ = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
        // …and once it has passed, only the new secret does.
        test.clock.advance(by: 1)
        _ = try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(reset))
        let error = await #expect(throws: OAuthError.self) {
            try await test.requestToken(tenant: "contoso", TestIssuer.secretParameters(fixture.pipeline))
        }
        #expect(error?.code == 7000215)
    }

    @Test func aNewTenantIsFoundOnceTheVersionMoves() async throws {
        let test = try await TestIssuer.make { $0.directoryCacheStaleness = 0 }
        #expect(try await test.issuer.directory.tenant("contoso") == nil)
        let tenant = try await test.administration.createTenant(name: "contoso")
        #expect(try await test.issuer.directory.tenant("contoso") == tenant)
        #expect(try await test.issuer.directory.tenant(tenant.id.uppercased()) == tenant)
    }

    @Test func commonAndOrganizationsNameTheOnlyTenantAndNothingOnceThereAreTwo() async throws {
        let test = try await TestIssuer.make { $0.directoryCacheStaleness = 0 }
        #expect(try await test.issuer.directory.tenant("organizations") == nil)
        let only = try await test.administration.createTenant(name: "contoso")
        #expect(try await test.issuer.directory.tenant("organizations") == only)
        #expect(try await test.issuer.directory.tenant("Common") == only)
        #expect(try await test.issuer.directory.tenant("consumers") == nil)

        _ = try await test.administration.createTenant(name: "fabrikam")
        #expect(try await test.issuer.directory.tenant("organizations") == nil)
        #expect(try await test.issuer.directory.tenant("common") == nil)
    }

    @Test func aSingleTenantInstallationServesDeviceCodeSignInThroughOrganizations() async throws {
        // What azure-identity's DeviceCodeCredential does without a tenant id.
        let test = try await TestIssuer.make()
        _ = try await test.administration.createTenant(name: "contoso")
        let started = try await test.issuer.deviceAuthorization.handle(
            tenantSegment: "organizations", version: .v2, parameters: ["client_id": AKS.clientAppID, "scope": AKS.scope],
            address: "192.0.2.1", correlationID: nil)
        // Polling at the alias reaches the flow: pending, not an unknown tenant.
        let pending = await #expect(throws: OAuthError.self) {
            try await test.requestToken(tenant: "organizations", ["grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                                                                  "client_id": AKS.clientAppID, "device_code": started.deviceCode])
        }
        #expect(pending?.error == "authorization_pending")
    }
}
