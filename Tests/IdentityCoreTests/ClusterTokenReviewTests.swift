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

    @Test func aTokenForAnotherClustersAudienceIsRefused() async throws {
        // Per-cluster audiences (RFC 9700 §2.3): a token minted for cluster A's own audience is
        // accepted by A only; the shared AKS audience stops working on A.
        let harness = try await ClusterHarness.make()
        let admins = try await harness.adminGroupID()
        for name in ["cluster-a", "cluster-b"] {
            _ = try await harness.admin.createCluster(tenant: "contoso", ClusterRegistration(
                name: name, server: "https://\(name).test:6443", enableAAD: true, adminGroupObjectIDs: [admins],
                audience: "api://\(name)"))
        }
        let reviewer = harness.test.issuer.clusterWebhooks.tokenReviewer
        let clusterA = try await harness.cluster("cluster-a")
        let clusterB = try await harness.cluster("cluster-b")
        let shared = try await harness.cluster()
        #expect(clusterA.audience == "api://cluster-a" && shared.audience == nil)

        // A user token for A, as kubelogin with `--server-id api://cluster-a` asks for it.
        let started = try await harness.test.issuer.deviceAuthorization.handle(
            tenantSegment: "contoso", version: .v2,
            parameters: ["client_id": AKS.clientAppID, "scope": "api://cluster-a/.default offline_access openid profile"],
            address: "198.51.100.7", correlationID: nil)
        try await harness.base.approve(started)
        let userToken = try await harness.base.poll(started.deviceCode).accessToken
        #expect(try await harness.test.verify(userToken, audience: "api://cluster-a", tenantID: harness.tenant.id).audiences
                == ["api://cluster-a"])
        // And an app token for A (client credentials).
        let appToken = try await harness.test.requestToken(
            tenant: "contoso", TestIssuer.secretParameters(harness.users.directory.pipeline, scope: "api://cluster-a/.default")).accessToken

        for token in [userToken, appToken] {
            guard case .authenticated = try await reviewer.review(token: token, for: clusterA) else {
                Issue.record("cluster A refused its own token")
                continue
            }
            #expect(try await reviewer.review(token: token, for: clusterB) == .refused("token audience is not this cluster's audience"))
            #expect(try await reviewer.review(token: token, for: shared) == .refused("token audience is not the AKS server application"))
        }
        // status.audiences: only A's audience, and only on A.
        let answered = try await reviewer.review(token: appToken, for: clusterA,
                                                 requestedAudiences: ["api://cluster-a", AKS.serverAppID, "api://cluster-b"])
        #expect(answered.audiences == ["api://cluster-a"])

        // A token for the shared audience works on the shared cluster, not on A.
        let sharedToken = try await harness.test.requestToken(
            tenant: "contoso", TestIssuer.secretParameters(harness.users.directory.pipeline)).accessToken
        guard case .authenticated = try await reviewer.review(token: sharedToken, for: shared) else {
            Issue.record("the shared cluster refused a shared-audience token")
            return
        }
        #expect(try await reviewer.review(token: sharedToken, for: clusterA) == .refused("token audience is not this cluster's audience"))
    }

    @Test func aClusterAudienceBelongsToOneClusterAndGoesWithIt() async throws {
        let harness = try await ClusterHarness.make()
        let admins = try await harness.adminGroupID()
        func create(_ name: String, audience: String) async throws -> Cluster {
            try await harness.admin.createCluster(tenant: "contoso", ClusterRegistration(
                name: name, server: "https://\(name).test:6443", enableAAD: true, adminGroupObjectIDs: [admins], audience: audience))
        }
        _ = try await create("cluster-a", audience: "api://cluster-a/")
        #expect(try await harness.cluster("cluster-a").audience == "api://cluster-a")
        // One audience, one cluster; not an app id, not another application's identifier URI.
        await #expect(throws: AdministrationError.self) { try await create("cluster-c", audience: "api://cluster-a") }
        await #expect(throws: AdministrationError.self) { try await create("cluster-c", audience: AKS.serverAppID) }
        await #expect(throws: AdministrationError.self) { try await create("cluster-c", audience: "not a uri") }
        await #expect(throws: AdministrationError.self) {
            try await create("cluster-c", audience: WellKnownApplications.graphIdentifierURI)
        }
        await #expect(throws: AdministrationError.self) {
            try await harness.admin.createCluster(tenant: "contoso", ClusterRegistration(
                name: "plain", server: "https://plain.test:6443", audience: "api://plain"))
        }
        #expect(try await harness.admin.listClusters(tenant: "contoso").map(\.name).sorted() == ["cluster-a", "dev"])

        // Changing it releases the old one; deleting the cluster releases the new one.
        _ = try await harness.admin.updateCluster(tenant: "contoso", name: "cluster-a", ClusterUpdate(audience: "api://cluster-a2"))
        _ = try await create("cluster-c", audience: "api://cluster-a")
        try await harness.admin.deleteCluster(tenant: "contoso", name: "cluster-a")
        _ = try await create("cluster-d", audience: "api://cluster-a2")
        // Back to the shared audience.
        let shared = try await harness.admin.updateCluster(tenant: "contoso", name: "cluster-d", ClusterUpdate(sharedAudience: true))
        #expect(shared.audience == nil && shared.acceptedAudience == AKS.serverAppID)
        let server = try #require(try await harness.test.store.application(tenantID: harness.tenant.id, appID: AKS.serverAppID))
        #expect(server.identifierURIs == ["api://cluster-a"])
    }
}
