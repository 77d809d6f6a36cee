import IdentityCore
import Testing

/// docs/clusters.md, How a request becomes a data action: how a SubjectAccessReview's attributes
/// become an Azure data action.
@Suite("Data actions from SubjectAccessReview attributes")
struct DataActionTests {
    static let prefix = "Microsoft.ContainerService/managedClusters"

    static let cases: [(KubernetesAccess, String)] = [
        (.resource(ResourceAccess(verb: "get", resource: "pods", namespace: "dev")), "\(prefix)/pods/read"),
        (.resource(ResourceAccess(verb: "list", resource: "pods")), "\(prefix)/pods/read"),
        (.resource(ResourceAccess(verb: "watch", resource: "configmaps", namespace: "dev")), "\(prefix)/configmaps/read"),
        (.resource(ResourceAccess(verb: "create", group: "apps", resource: "deployments", namespace: "dev")),
         "\(prefix)/apps/deployments/write"),
        (.resource(ResourceAccess(verb: "update", group: "apps", resource: "deployments")), "\(prefix)/apps/deployments/write"),
        (.resource(ResourceAccess(verb: "patch", resource: "services")), "\(prefix)/services/write"),
        (.resource(ResourceAccess(verb: "delete", resource: "secrets")), "\(prefix)/secrets/delete"),
        (.resource(ResourceAccess(verb: "deletecollection", resource: "pods")), "\(prefix)/pods/delete"),
        (.resource(ResourceAccess(verb: "create", resource: "pods", subresource: "exec", name: "web")), "\(prefix)/pods/exec/action"),
        (.resource(ResourceAccess(verb: "get", resource: "pods", subresource: "exec")), "\(prefix)/pods/exec/action"),
        (.resource(ResourceAccess(verb: "create", resource: "pods", subresource: "portforward")), "\(prefix)/pods/portforward/action"),
        (.resource(ResourceAccess(verb: "get", resource: "pods", subresource: "log")), "\(prefix)/pods/log/read"),
        (.resource(ResourceAccess(verb: "update", group: "apps", resource: "deployments", subresource: "scale")),
         "\(prefix)/apps/deployments/scale/write"),
        (.resource(ResourceAccess(verb: "bind", group: "rbac.authorization.k8s.io", resource: "clusterroles")),
         "\(prefix)/rbac.authorization.k8s.io/clusterroles/bind/action"),
        (.resource(ResourceAccess(verb: "escalate", group: "rbac.authorization.k8s.io", resource: "roles")),
         "\(prefix)/rbac.authorization.k8s.io/roles/escalate/action"),
        (.resource(ResourceAccess(verb: "use", group: "policy", resource: "podsecuritypolicies")),
         "\(prefix)/policy/podsecuritypolicies/use/action"),
        (.resource(ResourceAccess(verb: "impersonate", resource: "users")), "\(prefix)/users/impersonate/action"),
        (.resource(ResourceAccess(verb: "*", resource: "pods")), "\(prefix)/pods/*"),
        (.resource(ResourceAccess(verb: "*", group: "*", resource: "*")), "\(prefix)/**/*"),
        (.resource(ResourceAccess(verb: "approve", group: "certificates.k8s.io", resource: "certificatesigningrequests",
                                  subresource: "approval")),
         "\(prefix)/certificates.k8s.io/certificatesigningrequests/approval/approve/action"),
        (.nonResource(path: "/healthz", verb: "get"), "\(prefix)/healthz/read"),
        (.nonResource(path: "/metrics", verb: "get"), "\(prefix)/metrics/read"),
        (.nonResource(path: "/logs/", verb: "post"), "\(prefix)/logs/post/action"),
    ]

    @Test(arguments: cases)
    func mapping(_ access: KubernetesAccess, _ expected: String) {
        #expect(DataAction.of(access) == expected)
    }

    @Test func namespaceOfTheRequest() {
        #expect(KubernetesAccess.resource(ResourceAccess(verb: "list", resource: "pods", namespace: "dev")).namespace == "dev")
        #expect(KubernetesAccess.resource(ResourceAccess(verb: "list", resource: "nodes")).namespace == nil)
        #expect(KubernetesAccess.nonResource(path: "/healthz", verb: "get").namespace == nil)
    }

    @Test func wildcardPatterns() {
        #expect(ActionPattern.covers("\(Self.prefix)/*", "\(Self.prefix)/pods/read"))
        #expect(ActionPattern.covers("\(Self.prefix)/apps/deployments/*", "\(Self.prefix)/apps/deployments/read"))
        #expect(ActionPattern.covers("\(Self.prefix)/pods/*", "\(Self.prefix)/pods/exec/action"))
        #expect(ActionPattern.covers("MICROSOFT.CONTAINERSERVICE/managedclusters/PODS/READ", "\(Self.prefix)/pods/read"))
        #expect(!ActionPattern.covers("\(Self.prefix)/apps/deployments/*", "\(Self.prefix)/apps/daemonsets/read"))
        #expect(!ActionPattern.covers("\(Self.prefix)/pods/read", "\(Self.prefix)/pods/*"))
        #expect(ActionPattern.covers("\(Self.prefix)/pods/*", "\(Self.prefix)/pods/*"))
        #expect(!ActionPattern.covers("\(Self.prefix)/pods/read", "\(Self.prefix)/pods/readx"))
        // Literal patterns (no star) take a shorter path: same answers, ASCII case folded only.
        #expect(!ActionPattern.covers("\(Self.prefix)/pods/readx", "\(Self.prefix)/pods/read"))
        #expect(ActionPattern.covers("\(Self.prefix)/PODS/Read", "\(Self.prefix)/pods/read"))
        #expect(!ActionPattern.covers("\(Self.prefix)/pods/reaD", "\(Self.prefix)/pods/reaÐ"))
        #expect(!ActionPattern.covers("", "\(Self.prefix)/pods/read") && ActionPattern.covers("", ""))
        #expect(ActionPattern.overlaps("\(Self.prefix)/namespaces/write", "\(Self.prefix)/namespaces/*"))
        #expect(ActionPattern.overlaps("\(Self.prefix)/namespaces/write", "\(Self.prefix)/*/*"))
        #expect(!ActionPattern.overlaps("\(Self.prefix)/namespaces/write", "\(Self.prefix)/pods/*"))
        #expect(!ActionPattern.overlaps("\(Self.prefix)/namespaces/write", "\(Self.prefix)/namespaces/read"))
    }
}

extension KubernetesAccess: CustomTestStringConvertible {
    public var testDescription: String { DataAction.of(self) }
}
