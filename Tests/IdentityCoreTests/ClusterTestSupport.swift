import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

/// A sign-in harness with a registered AKS cluster `dev` (admin group `outer`, Azure RBAC on).
struct ClusterHarness: Sendable {
    let base: SignInHarness
    var test: TestIssuer { base.test }
    var admin: DirectoryAdministration { base.test.administration }
    var users: UserFixture { base.users }
    var tenant: Tenant { base.tenant }

    static func make(adminGroups: Bool = true, azureRBAC: Bool = true,
                     configure: (inout IssuerConfiguration) -> Void = { _ in }) async throws -> ClusterHarness {
        let base = try await SignInHarness.make(configure: configure)
        // `admins` (not the fixture's nested groups, which alice, bob and the pipelines are in).
        let admins = try await base.test.administration.createGroup(tenant: "contoso", displayName: "aks-admins", mailNickname: nil)
        _ = try await base.test.administration.createCluster(tenant: "contoso", ClusterRegistration(
            name: "dev", server: "https://dev.test:6443", enableAAD: true,
            adminGroupObjectIDs: adminGroups ? [admins.objectID] : nil, acknowledgeNoAdminGroups: !adminGroups,
            enableAzureRBAC: azureRBAC))
        return ClusterHarness(base: base)
    }

    func cluster(_ name: String = "dev") async throws -> Cluster {
        try await admin.cluster(tenant: "contoso", name: name)
    }

    var scope: String { "/tenants/\(tenant.id)/clusters/dev" }

    func adminGroupID() async throws -> String {
        try #require(try await cluster().aadProfile?.adminGroupObjectIDs.first)
    }

    func authorize(_ user: User, _ access: KubernetesAccess) async throws -> ClusterAuthorizer.Decision {
        try await test.issuer.clusterWebhooks.authorizer.authorize(
            KubernetesUser(username: user.userPrincipalName, uid: user.objectID, extra: ["oid": [user.objectID]]),
            access, on: try await cluster())
    }

    func review(_ token: String) async throws -> ClusterTokenReviewer.Outcome {
        try await test.issuer.clusterWebhooks.tokenReviewer.review(token: token, for: try await cluster())
    }
}

func listPods(in namespace: String) -> KubernetesAccess {
    .resource(ResourceAccess(verb: "list", resource: "pods", namespace: namespace))
}

extension ClusterAuthorizer.Decision {
    var isAllowed: Bool { if case .allowed = self { return true } else { return false } }
    var isDenied: Bool { if case .denied = self { return true } else { return false } }
    var isNoOpinion: Bool { if case .noOpinion = self { return true } else { return false } }
    var reason: String {
        switch self {
        case .allowed(let reason), .denied(let reason), .noOpinion(let reason): return reason
        }
    }
}
