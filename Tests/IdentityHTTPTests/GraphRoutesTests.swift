import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import NIOCore
import OAuthProtocol
import Testing

@Suite("Graph-compatible group lookups and user realm")
struct GraphRoutesTests {
    @Test func getMemberObjectsNeedsABearerAndAnswersGraphStyle() async throws {
        let harness = try await SignInHTTPHarness.make()
        let app = try await harness.test.issuer.tokenEndpoint.handle(TokenRequest(
            tenantSegment: "contoso", version: .v2, parameters: [
                "grant_type": "client_credentials", "client_id": harness.users.directory.pipeline.application.appID,
                "client_secret": harness.users.directory.pipeline.password ?? "",
                "scope": "\(WellKnownApplications.aksServerAppID)/.default"], clientAddress: "192.0.2.1"))
        _ = try await harness.test.administration.grantPermissions(
            tenant: "contoso", servicePrincipal: harness.users.directory.pipeline.application.appID, permissions: ["GroupMember.Read.All"])
        let graph = try await harness.test.issuer.tokenEndpoint.handle(TokenRequest(
            tenantSegment: "contoso", version: .v2, parameters: [
                "grant_type": "client_credentials", "client_id": harness.users.directory.pipeline.application.appID,
                "client_secret": harness.users.directory.pipeline.password ?? "",
                "scope": "https://graph.microsoft.com/.default"], clientAddress: "192.0.2.1"))
        try await harness.run { client in
            let path = "/v1.0/users/\(harness.users.alice.objectID)/getMemberObjects"
            let anonymous = try await client.execute(uri: path, method: .post, headers: [.contentType: "application/json"],
                                                     body: ByteBuffer(string: #"{"securityEnabledOnly":true}"#))
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            // An app-only token for another resource cannot read someone else's groups.
            let refused = try await client.execute(uri: path, method: .post,
                                                   headers: [.authorization: "Bearer \(app.accessToken)", .contentType: "application/json"],
                                                   body: ByteBuffer(string: #"{"securityEnabledOnly":true}"#))
            #expect(refused.status == .forbidden)
            let answered = try await client.execute(uri: path, method: .post,
                                                    headers: [.authorization: "Bearer \(graph.accessToken)", .contentType: "application/json"],
                                                    body: ByteBuffer(string: #"{"securityEnabledOnly":true}"#))
            #expect(answered.status == .ok)
            let groups = try #require(answered.jsonObject["value"] as? [String])
            #expect(Set(groups) == [harness.users.directory.inner.objectID, harness.users.directory.outer.objectID])
            let groupsOnly = try await client.execute(uri: "/v1.0/servicePrincipals/\(harness.users.directory.pipeline.servicePrincipal.objectID)/getMemberGroups",
                                                      method: .post, headers: [.authorization: "Bearer \(graph.accessToken)"])
            #expect(groupsOnly.status == .ok)
            let missing = try await client.execute(uri: "/v1.0/users/\(UUID().uuidString)/getMemberObjects", method: .post,
                                                   headers: [.authorization: "Bearer \(graph.accessToken)"])
            #expect(missing.status == .notFound)
        }
    }

    @Test func userRealmSaysManaged() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            let response = try await client.execute(uri: "/common/userrealm/alice@contoso.test?api-version=1.0", method: .get)
            #expect(response.status == .ok)
            let json = response.jsonObject
            #expect(json["account_type"] as? String == "Managed")
            #expect(json["domain_name"] as? String == "contoso.test")
            #expect(json["cloud_instance_name"] as? String == "microsoftonline.com")
            #expect(json["cloud_audience_urn"] as? String == "urn:federation:MicrosoftOnline")
        }
    }
}
