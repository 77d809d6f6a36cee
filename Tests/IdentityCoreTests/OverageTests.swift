import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("Group overage and the Graph-compatible lookup")
struct OverageTests {
    @Test func overTheLimitTheTokenPointsAtGetMemberObjects() async throws {
        let harness = try await SignInHarness.make { $0.groupOverageLimit = 200 }
        let admin = harness.test.administration
        var expected = Set([harness.users.directory.inner.objectID, harness.users.directory.outer.objectID])
        for index in 0..<249 {
            let group = try await admin.createGroup(tenant: "contoso", displayName: "team-\(index)", mailNickname: nil)
            try await admin.addGroupMember(tenant: "contoso", groupID: group.objectID, memberID: harness.users.alice.objectID)
            expected.insert(group.objectID)
        }
        #expect(expected.count == 251)
        let response = try await harness.signInWithDeviceCode()
        let claims = try await harness.verify(response.accessToken)
        #expect(!claims.contains("groups"))
        let endpoint = "\(TestIssuer.issuerURL)/v1.0/users/\(harness.users.alice.objectID)/getMemberObjects"
        #expect(String(decoding: claims.json, as: UTF8.self).contains(#""_claim_sources":{"src1":{"endpoint":"\#(endpoint)"}}"#))
        // The token stays small (at most 8 KiB, so request headers fit).
        #expect(response.accessToken.utf8.count < 8 * 1024)

        let groups = try await harness.test.issuer.memberObjects.memberObjects(
            bearer: response.accessToken, objectID: harness.users.alice.objectID, kind: .user)
        #expect(Set(groups) == expected)
    }

    @Test func atTheLimitGroupsAreInline() async throws {
        let harness = try await SignInHarness.make { $0.groupOverageLimit = 2 }
        let claims = try await harness.verify(try await harness.signInWithDeviceCode().accessToken)
        #expect(claims.strings("groups")?.count == 2)
    }

    @Test func lookupNeedsAnAccessTokenOfTheSameUserOrAnApp() async throws {
        let harness = try await SignInHarness.make()
        let query = harness.test.issuer.memberObjects
        let alice = try await harness.signInWithDeviceCode()
        let bobID = harness.users.bob.objectID
        await #expect(throws: GraphError.unauthorized("")) {
            _ = try await query.memberObjects(bearer: nil, objectID: bobID, kind: .user)
        }
        // Alice may not read Bob's groups.
        await #expect(throws: GraphError.forbidden("")) {
            _ = try await query.memberObjects(bearer: alice.accessToken, objectID: bobID, kind: .user)
        }
        // An ID token is not an access token.
        await #expect(throws: GraphError.unauthorized("")) {
            _ = try await query.memberObjects(bearer: try #require(alice.idToken), objectID: harness.users.alice.objectID, kind: .user)
        }
        // An app-only token for another resource may not: it would read anyone's groups.
        let pipeline = harness.users.directory.pipeline
        let app = try await harness.test.requestToken(tenant: "contoso", TestIssuer.secretParameters(pipeline))
        await #expect(throws: GraphError.forbidden("")) {
            _ = try await query.memberObjects(bearer: app.accessToken, objectID: bobID, kind: .user)
        }
        // Nor may a Graph token without a permission that reads memberships.
        var graphParameters = TestIssuer.secretParameters(pipeline)
        graphParameters["scope"] = "https://graph.microsoft.com/.default"
        let bare = try await harness.test.requestToken(tenant: "contoso", graphParameters)
        await #expect(throws: GraphError.forbidden("")) {
            _ = try await query.memberObjects(bearer: bare.accessToken, objectID: bobID, kind: .user)
        }
        // A Graph token with GroupMember.Read.All (guard-style) may.
        _ = try await harness.test.administration.grantPermissions(tenant: "contoso", servicePrincipal: pipeline.application.appID,
                                                                   permissions: ["GroupMember.Read.All"])
        let granted = try await harness.test.requestToken(tenant: "contoso", graphParameters)
        let bobGroups = try await query.memberObjects(bearer: granted.accessToken, objectID: bobID, kind: .user)
        #expect(Set(bobGroups) == [harness.users.directory.inner.objectID, harness.users.directory.outer.objectID])
        // Expired tokens are refused.
        harness.clock.advance(by: 3 * 3600)
        await #expect(throws: GraphError.unauthorized("")) {
            _ = try await query.memberObjects(bearer: alice.accessToken, objectID: harness.users.alice.objectID, kind: .user)
        }
    }
}
