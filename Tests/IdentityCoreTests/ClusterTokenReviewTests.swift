import Cryptography
import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("TokenReview decisions")
struct ClusterTokenReviewTests {
    @Test func aUserTokenFromDeviceCode() async throws {
        let harness = try await ClusterHarness.make()
        let token = try await harness.base.signInWithDeviceCode().accessToken
        let alice = harness.users.alice
        let expectedGroups = [harness.users.directory.inner.objectID, harness.users.directory.outer.objectID].sorted()
        guard case .authenticated(let user) = try await harness.review(token) else {
            Issue.record("refused")
            return
        }
        #expect(user.username == "alice@contoso.test")
        #expect(user.uid == alice.objectID)
        #expect(user.extra == ["oid": [alice.objectID]])
        #expect(user.groups.sorted() == expectedGroups)
    }

    @Test func aServicePrincipalIsNamedByItsObjectID() async throws {
        let harness = try await ClusterHarness.make()
        let pipeline = harness.users.directory.pipeline
        let response = try await harness.test.requestToken(tenant: "contoso", TestIssuer.secretParameters(pipeline))
        guard case .authenticated(let user) = try await harness.review(response.accessToken) else {
            Issue.record("refused")
            return
        }
        #expect(user.username == pipeline.servicePrincipal.objectID)
        #expect(user.uid == pipeline.servicePrincipal.objectID)
        #expect(user.groups.contains(harness.users.directory.inner.objectID))
    }

    @Test func overageGroupsComeFromTheDirectory() async throws {
        let harness = try await ClusterHarness.make { $0.groupOverageLimit = 3 }
        var expected = Set([harness.users.directory.inner.objectID, harness.users.directory.outer.objectID])
        for index in 0..<5 {
            let group = try await harness.admin.createGroup(tenant: "contoso", displayName: "team-\(index)", mailNickname: nil)
            try await harness.admin.addGroupMember(tenant: "contoso", groupID: group.objectID, memberID: harness.users.alice.objectID)
            expected.insert(group.objectID)
        }
        let token = try await harness.base.signInWithDeviceCode().accessToken
        #expect(!(try await harness.base.verify(token)).contains("groups"))
        guard case .authenticated(let user) = try await harness.review(token) else {
            Issue.record("refused")
            return
        }
        #expect(Set(user.groups) == expected)
    }

    @Test func refusals() async throws {
        let harness = try await ClusterHarness.make()
        let response = try await harness.base.signInWithDeviceCode()
        // An ID token (aud = the client), garbage, and an empty token.
        #expect(try await harness.review(try #require(response.idToken)) == .refused("token audience is not the AKS server application"))
        #expect(try await harness.review("not-a-jwt") == .refused("token signature is not valid"))
        #expect(try await harness.review("") == .refused("token is empty"))

        // A token for another audience: the Graph-like app the fixture pipeline can ask for.
        let other = try await harness.admin.createServicePrincipalForRBAC(tenant: "contoso", name: "other-api", credential: .secret)
        let forOther = try await harness.test.requestToken(
            tenant: "contoso", TestIssuer.secretParameters(harness.users.directory.pipeline, scope: "\(other.application.appID)/.default"))
        #expect(try await harness.review(forOther.accessToken) == .refused("token audience is not the AKS server application"))

        // A token of another tenant.
        let fabrikam = try await DirectoryFixture.make(in: harness.test, tenantName: "fabrikam")
        let foreign = try await harness.test.requestToken(tenant: "fabrikam", TestIssuer.secretParameters(fabrikam.pipeline))
        #expect(try await harness.review(foreign.accessToken) == .refused("token was not issued for this cluster's tenant"))

        // A disabled user.
        _ = try await harness.admin.setUserEnabled(tenant: "contoso", id: harness.users.alice.objectID, enabled: false)
        #expect(try await harness.review(response.accessToken) == .refused("user is disabled or deleted"))

        // An expired token.
        harness.base.clock.advance(by: 3 * 3600)
        let app = try await harness.test.requestToken(tenant: "contoso", TestIssuer.secretParameters(harness.users.directory.pipeline))
        #expect(try await harness.review(app.accessToken) != .refused("token is expired"))
        harness.base.clock.advance(by: 3 * 3600)
        #expect(try await harness.review(app.accessToken) == .refused("token is expired"))
    }

    @Test func aForgedTokenWithAnotherKeyOrAlgorithmIsRefused() async throws {
        let harness = try await ClusterHarness.make()
        let token = try await harness.base.signInWithDeviceCode().accessToken
        let parts = token.split(separator: ".")
        // Same header and payload, signature by a key that is not ours.
        let key = try PrivateKey.generateRSA()
        let signature = try key.sign(Array("\(parts[0]).\(parts[1])".utf8), algorithm: .rs256)
        #expect(try await harness.review("\(parts[0]).\(parts[1]).\(Base64URL.encode(signature))") == .refused("token signature is not valid"))
        // alg none.
        let none = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        #expect(try await harness.review("\(none).\(parts[1]).") == .refused("token signature is not valid"))
    }

    @Test func aClusterWithoutAADRefusesEveryToken() async throws {
        let harness = try await ClusterHarness.make()
        _ = try await harness.admin.createCluster(tenant: "contoso", ClusterRegistration(name: "plain", server: "https://plain.test:6443"))
        let token = try await harness.base.signInWithDeviceCode().accessToken
        let plain = try await harness.cluster("plain")
        #expect(try await harness.test.issuer.clusterWebhooks.tokenReviewer.review(token: token, for: plain)
                == .refused("AAD is not enabled for this cluster"))
    }
}
