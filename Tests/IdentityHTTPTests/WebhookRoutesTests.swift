import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import KubernetesTypes
import NIOCore
import OAuthProtocol
import Testing

/// kube-apiserver's calls to the TokenReview and SubjectAccessReview webhooks, in-process.
@Suite("Kubernetes webhooks")
struct WebhookRoutesTests {
    struct World: Sendable {
        let harness: SignInHTTPHarness
        let token: String
        let path: String
        var tenantID: String { harness.tenantID }
    }

    static func world() async throws -> World {
        let harness = try await SignInHTTPHarness.make()
        let admin = harness.test.administration
        let admins = try await admin.createGroup(tenant: "contoso", displayName: "aks-admins", mailNickname: nil)
        _ = try await admin.createCluster(tenant: "contoso", ClusterRegistration(
            name: "dev", server: "https://dev.test:6443", enableAAD: true,
            adminGroupObjectIDs: [admins.objectID], enableAzureRBAC: true))
        let (_, token) = try await admin.webhookToken(tenant: "contoso", name: "dev", existing: nil)
        return World(harness: harness, token: token, path: "/webhooks/tenants/\(harness.tenantID)/clusters/dev")
    }

    static func appToken(_ world: World) async throws -> String {
        let pipeline = world.harness.users.directory.pipeline
        return try await world.harness.test.issuer.tokenEndpoint.handle(TokenRequest(
            tenantSegment: "contoso", version: .v2, parameters: [
                "grant_type": "client_credentials", "client_id": pipeline.application.appID,
                "client_secret": pipeline.password ?? "", "scope": "\(WellKnownApplications.aksServerAppID)/.default"],
            clientAddress: "192.0.2.1")).accessToken
    }

    @Test func tokenReviewAnswersInTheVersionAsked() async throws {
        let world = try await Self.world()
        let token = try await Self.appToken(world)
        let oid = world.harness.users.directory.pipeline.servicePrincipal.objectID
        try await world.harness.run { client in
            for version in [TokenReview.v1, TokenReview.v1beta1] {
                let body = #"{"apiVersion":"\#(version)","kind":"TokenReview","metadata":{"creationTimestamp":null},"spec":{"token":"\#(token)","audiences":["https://kubernetes.default.svc"]},"status":{}}"#
                let response = try await client.execute(uri: world.path + "/tokenreview", method: .post,
                                                        headers: [.authorization: "Bearer \(world.token)", .contentType: "application/json"],
                                                        body: ByteBuffer(string: body))
                #expect(response.status == .ok)
                let review = try JSONDecoder().decode(TokenReview.self, from: Data(buffer: response.body))
                #expect(review.apiVersion == version)
                #expect(review.kind == "TokenReview")
                #expect(review.status?.authenticated == true)
                #expect(review.status?.user?.username == oid)
                #expect(review.status?.user?.uid == oid)
                #expect(review.status?.user?.extra == ["oid": [oid]])
                #expect(review.status?.user?.groups?.contains(world.harness.users.directory.inner.objectID) == true)
                // The token is not for that audience: no audience is claimed (the API server's own).
                #expect(review.status?.audiences == nil)
            }
        }
    }

    /// Issue 13 item 2: kube-apiserver intersects the audiences it asks for with `status.audiences`,
    /// so echoing `spec.audiences` would make a kubeid token valid for any audience a TokenReview
    /// client (a vault, an aggregated API server) asks about.
    @Test func tokenReviewDoesNotEchoRequestedAudiences() async throws {
        let world = try await Self.world()
        let token = try await Self.appToken(world)
        try await world.harness.run { client in
            func review(_ audiences: [String]) async throws -> TokenReviewStatus? {
                let request = TokenReview(spec: TokenReviewSpec(token: token, audiences: audiences))
                let response = try await client.execute(uri: world.path + "/tokenreview", method: .post,
                                                        headers: [.authorization: "Bearer \(world.token)", .contentType: "application/json"],
                                                        body: ByteBuffer(data: try JSONEncoder().encode(request)))
                #expect(response.status == .ok)
                return try JSONDecoder().decode(TokenReview.self, from: Data(buffer: response.body)).status
            }
            let other = try await review(["vault", "https://other.example"])
            #expect(other?.authenticated == true)
            #expect(other?.audiences == nil)
            let mixed = try await review(["vault", WellKnownApplications.aksServerAppID, WellKnownApplications.aksServerAppID])
            #expect(mixed?.audiences == [WellKnownApplications.aksServerAppID])
        }
    }

    @Test func aRefusedTokenIsStillHTTP200() async throws {
        let world = try await Self.world()
        try await world.harness.run { client in
            let body = #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"eyJhbGciOiJub25lIn0.e30."}}"#
            let response = try await client.execute(uri: world.path + "/tokenreview", method: .post,
                                                    headers: [.authorization: "Bearer \(world.token)"], body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{},"status":{"authenticated":false,"error":"token signature is not valid"}}"#)
        }
        await world.harness.test.issuer.audit.buffer.flush()
        let events = try await world.harness.test.store.auditEvents(tenantID: world.tenantID, since: .distantPast, limit: 100)
        let refused = try #require(events.last { $0.kind == "cluster.token-refused" })
        #expect(refused.outcome == "failure")
        #expect(refused.details == ["cluster": "dev", "reason": "token signature is not valid"])
    }

    @Test func onlyTheClustersOwnCredentialMayCall() async throws {
        let world = try await Self.world()
        try await world.harness.run { client in
            let body = ByteBuffer(string: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"x"}}"#)
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong"], [.authorization: "Basic \(world.token)"]] {
                let response = try await client.execute(uri: world.path + "/tokenreview", method: .post, headers: headers, body: body)
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body) == "Unauthorized\n")
            }
            let unknown = try await client.execute(uri: "/webhooks/tenants/\(world.tenantID)/clusters/other/tokenreview", method: .post,
                                                   headers: [.authorization: "Bearer \(world.token)"], body: body)
            #expect(unknown.status == .unauthorized)
            let bad = try await client.execute(uri: world.path + "/tokenreview", method: .post,
                                               headers: [.authorization: "Bearer \(world.token)"], body: ByteBuffer(string: "{"))
            #expect(bad.status == .badRequest)
            let wrongVersion = try await client.execute(uri: world.path + "/tokenreview", method: .post,
                                                        headers: [.authorization: "Bearer \(world.token)"],
                                                        body: ByteBuffer(string: #"{"apiVersion":"authentication.k8s.io/v2","kind":"TokenReview","spec":{}}"#))
            #expect(wrongVersion.status == .badRequest)
            let huge = try await client.execute(uri: world.path + "/tokenreview", method: .post,
                                                headers: [.authorization: "Bearer \(world.token)"],
                                                body: ByteBuffer(string: String(repeating: "a", count: 70_000)))
            #expect(huge.status == .contentTooLarge)
        }
    }

    @Test func subjectAccessReviewV1AndV1beta1() async throws {
        let world = try await Self.world()
        let alice = world.harness.users.alice
        _ = try await world.harness.test.administration.createRoleAssignment(
            role: "Azure Kubernetes Service RBAC Reader", assignee: alice.userPrincipalName,
            scope: "/tenants/\(world.tenantID)/clusters/dev/namespaces/dev")
        try await world.harness.run { client in
            func review(_ body: String) async throws -> SubjectAccessReview {
                let response = try await client.execute(uri: world.path + "/subjectaccessreview", method: .post,
                                                        headers: [.authorization: "Bearer \(world.token)"], body: ByteBuffer(string: body))
                #expect(response.status == .ok)
                return try JSONDecoder().decode(SubjectAccessReview.self, from: Data(buffer: response.body))
            }
            let v1 = try await review(#"{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"resourceAttributes":{"namespace":"dev","verb":"list","version":"v1","resource":"pods"},"user":"alice@contoso.test","groups":["system:authenticated"],"extra":{"oid":["\#(alice.objectID)"]},"uid":"\#(alice.objectID)"}}"#)
            #expect(v1.apiVersion == SubjectAccessReview.v1)
            #expect(v1.status?.allowed == true)
            #expect(v1.status?.reason?.hasPrefix("Access allowed by Azure RBAC Role Assignment ") == true)

            let beta = try await review(#"{"apiVersion":"authorization.k8s.io/v1beta1","kind":"SubjectAccessReview","spec":{"resourceAttributes":{"namespace":"prod","verb":"list","version":"v1","resource":"pods"},"user":"alice@contoso.test","group":["system:authenticated"],"extra":{"oid":["\#(alice.objectID)"]}}}"#)
            #expect(beta.apiVersion == SubjectAccessReview.v1beta1)
            #expect(beta.status == SubjectAccessReviewStatus(allowed: false, denied: true,
                                                             reason: "User does not have access to the resource in Azure. Update role assignment to allow access."))

            let system = try await review(#"{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"nonResourceAttributes":{"path":"/healthz","verb":"get"},"user":"system:anonymous"}}"#)
            #expect(system.status?.allowed == false)
            #expect(system.status?.denied == nil)
        }
        // Only the denial is audited (a policy denial, docs/operations.md, Audit trail); allowed
        // and no-opinion answers are not.
        await world.harness.test.issuer.audit.buffer.flush()
        let events = try await world.harness.test.store.auditEvents(tenantID: world.tenantID, since: .distantPast, limit: 100)
            .filter { $0.outcome == "failure" }
        try #require(events.count == 1, "\(events)")
        #expect(events[0].kind == "cluster.access-denied")
        #expect(events[0].actor == alice.objectID && events[0].subject == "alice@contoso.test")
        #expect(events[0].details == ["cluster": "dev", "verb": "list", "resource": "pods", "namespace": "prod",
                                      "reason": "User does not have access to the resource in Azure. Update role assignment to allow access."])
    }

    @Test func subjectAccessReviewEncodingFollowsTheVersion() throws {
        let spec = SubjectAccessReviewSpec(user: "u", groups: ["g"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let v1 = String(decoding: try encoder.encode(SubjectAccessReview(apiVersion: SubjectAccessReview.v1, spec: spec)), as: UTF8.self)
        let beta = String(decoding: try encoder.encode(SubjectAccessReview(apiVersion: SubjectAccessReview.v1beta1, spec: spec)), as: UTF8.self)
        #expect(v1.contains(#""groups":["g"]"#))
        #expect(beta.contains(#""group":["g"]"#) && !beta.contains("groups"))
    }
}
