import Foundation
import NIOCore

/// The objects the webhook-mode stand-in serves: enough discovery for kubectl, a node, three
/// namespaces with one pod each, and creation of namespaced objects (echoed back).
enum KubeAPIServerWebhookResponses {
    static let version = #"{"major":"1","minor":"32","gitVersion":"v1.32.0-kubeid-standin","platform":"linux/amd64"}"#
    static let apiVersions = #"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]}"#
    static let apiGroupList = #"{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]}"#
    static let coreResources = """
        {"kind":"APIResourceList","groupVersion":"v1","resources":[\
        {"name":"nodes","singularName":"node","namespaced":false,"kind":"Node","verbs":["get","list","watch"],"shortNames":["no"]},\
        {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["create","delete","get","list","watch"],"shortNames":["ns"]},\
        {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["create","delete","get","list","watch"],"shortNames":["po"]},\
        {"name":"pods/exec","singularName":"","namespaced":true,"kind":"PodExecOptions","verbs":["create","get"]},\
        {"name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap","verbs":["create","delete","get","list","watch"],"shortNames":["cm"]},\
        {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["create","delete","get","list","watch"]},\
        {"name":"services","singularName":"service","namespaced":true,"kind":"Service","verbs":["create","delete","get","list","watch"],"shortNames":["svc"]}]}
        """
    static let appsResources = #"{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[{"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["create","delete","get","list","watch"],"shortNames":["deploy"]}]}"#
    static let namespaces = ["default", "dev", "prod"]
    static let created = "2026-01-01T00:00:00Z"

    static func nodeList() -> String {
        #"{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"standin-node-1","uid":"6c1d6e2a-0000-4000-8000-000000000001","creationTimestamp":"\#(created)"},"status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.32.0"}}}]}"#
    }

    static func namespaceList() -> String {
        let items = namespaces.map { #"{"metadata":{"name":"\#($0)","creationTimestamp":"\#(created)"},"status":{"phase":"Active"}}"# }
        return #"{"kind":"NamespaceList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[\#(items.joined(separator: ","))]}"#
    }

    static func pod(_ namespace: String) -> String {
        let index = namespaces.firstIndex(of: namespace).map { $0 + 1 } ?? 9
        return #"{"metadata":{"name":"web-\#(namespace)","namespace":"\#(namespace)","uid":"6c1d6e2a-0000-4000-8000-00000000010\#(index)","creationTimestamp":"\#(created)"},"spec":{"containers":[{"name":"web","image":"nginx"}]},"status":{"phase":"Running"}}"#
    }

    static func podList(_ namespaces: [String]) -> String {
        #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[\#(namespaces.map(pod).joined(separator: ","))]}"#
    }

    static let notFound = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","code":404}"#

    /// The status and body; a created object is echoed back as sent (kubectl may send JSON or
    /// protobuf), so the caller answers it with the request's content type.
    static func respond(_ info: KubeAPIServerRequestInfo, body: ByteBuffer) -> (status: Int, body: ByteBuffer) {
        let (status, text) = respondText(info)
        if status == 201 { return (201, body) }
        return (status, ByteBuffer(string: text))
    }

    static func respondText(_ info: KubeAPIServerRequestInfo) -> (status: Int, body: String) {
        if !info.isResourceRequest {
            switch info.path {
            case "/version": return (200, version)
            case "/api": return (200, apiVersions)
            case "/apis": return (200, apiGroupList)
            // Group-version documents are not resource requests in kube-apiserver's eyes either.
            case "/api/v1": return (200, coreResources)
            case "/apis/apps/v1": return (200, appsResources)
            default: return (404, notFound)
            }
        }
        if info.resource.isEmpty {
            switch (info.apiGroup, info.apiVersion) {
            case ("", "v1"): return (200, coreResources)
            case ("apps", "v1"): return (200, appsResources)
            default: return (404, notFound)
            }
        }
        switch (info.verb, info.apiGroup, info.resource) {
        case ("list", "", "nodes"): return (200, nodeList())
        case ("list", "", "namespaces"): return (200, namespaceList())
        case ("list", "", "pods"):
            return (200, podList(info.namespace.isEmpty ? namespaces : namespaces.filter { $0 == info.namespace }))
        case ("create", _, _) where !info.namespace.isEmpty:
            return (201, "")
        default:
            return (404, notFound)
        }
    }
}
