import IdentityTesting
import Testing

/// The stand-in's reading of requests and its Forbidden messages, against kube-apiserver's
/// (`RequestInfoFactory`, `responsewriters.Forbidden`, `apierrors.NewForbidden`;
/// docs/compatibility.md, kube-apiserver).
@Suite("kube-apiserver stand-in: request attributes and Forbidden messages")
struct KubeAPIServerRequestInfoTests {
    @Test func attributes() {
        let list = KubeAPIServerRequestInfo.make(method: "GET", path: "/api/v1/namespaces/prod/pods", query: "limit=500")
        #expect(list.isResourceRequest && list.verb == "list" && list.resource == "pods" && list.namespace == "prod" && list.apiGroup == "")
        let watch = KubeAPIServerRequestInfo.make(method: "GET", path: "/api/v1/pods", query: "watch=true")
        #expect(watch.verb == "watch" && watch.namespace.isEmpty)
        let exec = KubeAPIServerRequestInfo.make(method: "POST", path: "/api/v1/namespaces/dev/pods/web/exec", query: "command=sh")
        #expect(exec.verb == "create" && exec.name == "web" && exec.subresource == "exec")
        let deployment = KubeAPIServerRequestInfo.make(method: "DELETE", path: "/apis/apps/v1/namespaces/dev/deployments/api", query: "")
        #expect(deployment.verb == "delete" && deployment.apiGroup == "apps" && deployment.apiVersion == "v1" && deployment.name == "api")
        let namespace = KubeAPIServerRequestInfo.make(method: "GET", path: "/api/v1/namespaces/dev", query: "")
        #expect(namespace.resource == "namespaces" && namespace.name == "dev" && namespace.namespace == "dev" && namespace.verb == "get")
        for path in ["/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/version", "/healthz"] {
            #expect(!KubeAPIServerRequestInfo.make(method: "GET", path: path, query: "").isResourceRequest, "\(path)")
        }
    }

    @Test func forbiddenMessages() {
        let reason = "User does not have access to the resource in Azure. Update role assignment to allow access."
        #expect(KubeAPIServerRequestInfo.make(method: "GET", path: "/api/v1/namespaces/prod/pods", query: "")
            .forbiddenMessage(user: "bob@contoso.example", reason: reason)
            == #"pods is forbidden: User "bob@contoso.example" cannot list resource "pods" in API group "" in the namespace "prod": User does not have access to the resource in Azure. Update role assignment to allow access."#)
        #expect(KubeAPIServerRequestInfo.make(method: "GET", path: "/api/v1/nodes/n1", query: "").forbiddenMessage(user: "u", reason: "")
            == #"nodes "n1" is forbidden: User "u" cannot get resource "nodes" in API group "" at the cluster scope"#)
        #expect(KubeAPIServerRequestInfo.make(method: "POST", path: "/apis/apps/v1/namespaces/a/deployments", query: "")
            .forbiddenMessage(user: "u", reason: "r")
            == #"deployments.apps is forbidden: User "u" cannot create resource "deployments" in API group "apps" in the namespace "a": r"#)
        #expect(KubeAPIServerRequestInfo.make(method: "POST", path: "/api/v1/namespaces/a/pods/web/exec", query: "")
            .forbiddenMessage(user: "u", reason: "")
            == #"pods "web" is forbidden: User "u" cannot create resource "pods/exec" in API group "" in the namespace "a""#)
        #expect(KubeAPIServerRequestInfo.make(method: "GET", path: "/metrics", query: "").forbiddenMessage(user: "u", reason: "<x>")
            == #"forbidden: User "u" cannot get path "/metrics": &lt;x&gt;"#)
    }
}
