/// The JSON bodies kubectl 1.32 needs for `kubectl get nodes` (docs/compatibility.md, kubectl):
/// plain discovery documents (kubectl falls back from aggregated discovery) and a NodeList.
enum KubeAPIServerResponses {
    static let version = #"{"major":"1","minor":"32","gitVersion":"v1.32.0-kubeid-standin","platform":"linux/amd64"}"#
    static func apiVersions(address: String) -> String {
        #"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"\#(address)"}]}"#
    }
    static let apiGroupList = #"{"kind":"APIGroupList","apiVersion":"v1","groups":[]}"#
    static let coreResources = #"{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"nodes","singularName":"node","namespaced":false,"kind":"Node","verbs":["get","list"],"shortNames":["no"]}]}"#
    static let nodeList = #"{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"standin-node-1","uid":"6c1d6e2a-0000-4000-8000-000000000001","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"kubernetes.io/hostname":"standin-node-1"}},"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"stand-in"}],"nodeInfo":{"kubeletVersion":"v1.32.0"}}}]}"#
    static let unauthorized = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#
    static let notFound = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","code":404}"#
}
