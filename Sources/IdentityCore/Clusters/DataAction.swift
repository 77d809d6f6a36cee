/// What a SubjectAccessReview asks, in Kubernetes' terms (`spec.resourceAttributes` or
/// `spec.nonResourceAttributes`), independent of the wire version.
public enum KubernetesAccess: Sendable, Hashable {
    case resource(ResourceAccess)
    case nonResource(path: String, verb: String)

    /// The namespace a resource request is in; nil for cluster-scoped and non-resource requests.
    public var namespace: String? {
        if case .resource(let access) = self, !access.namespace.isEmpty { return access.namespace }
        return nil
    }
}

public struct ResourceAccess: Sendable, Hashable {
    public var verb: String
    /// API group; "" is the core group.
    public var group: String
    public var version: String
    public var resource: String
    public var subresource: String
    public var name: String
    /// "" for cluster-scoped resources (and for a list across all namespaces).
    public var namespace: String

    public init(verb: String, group: String = "", version: String = "v1", resource: String, subresource: String = "",
                name: String = "", namespace: String = "") {
        self.verb = verb
        self.group = group
        self.version = version
        self.resource = resource
        self.subresource = subresource
        self.name = name
        self.namespace = namespace
    }
}

/// Turns a Kubernetes request into the Azure data action that role definitions list
/// (as AKS's guard does; docs/clusters.md, How a request becomes a data action):
///
/// `Microsoft.ContainerService/managedClusters` + `/<group>` (omitted for the core group) +
/// `/<resource>` + `/<subresource>` (when present) + `/<verb action>`, where
/// - `get`, `list`, `watch` → `read`; `create`, `update`, `patch` → `write`;
///   `delete`, `deletecollection` → `delete`; `*` → `*`;
/// - `bind`, `escalate`, `use`, `impersonate` and any other verb → `<verb>/action`;
/// - the streaming subresources `exec`, `attach`, `portforward` and `proxy` are actions
///   whatever the verb: `pods/exec` → `…/pods/exec/action`.
///
/// A request for every group (`group: "*"`) becomes `…/*<resource>/…`, so it matches core and
/// named groups alike, and a role must cover all of them.
///
/// A non-resource request (`/healthz`, `/metrics`) becomes `…/<path without leading slash>/<verb action>`.
public enum DataAction {
    public static let prefix = "Microsoft.ContainerService/managedClusters"
    static let actionSubresources: Set<String> = ["exec", "attach", "portforward", "proxy"]

    public static func of(_ access: KubernetesAccess) -> String {
        switch access {
        case .resource(let request):
            var action = prefix
            if request.group == "*" {
                // Every group, the core group (no segment) included: `*` glued to the resource
                // matches both `…/apps/deployments` and `…/pods`.
                action += "/*" + request.resource
            } else {
                if !request.group.isEmpty { action += "/" + request.group }
                action += "/" + request.resource
            }
            if !request.subresource.isEmpty {
                action += "/" + request.subresource
                if actionSubresources.contains(request.subresource.lowercased()) { return action + "/action" }
            }
            return action + "/" + verbAction(request.verb)
        case .nonResource(let path, let verb):
            var trimmed = Substring(path)
            while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
            while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
            return prefix + (trimmed.isEmpty ? "" : "/" + trimmed) + "/" + verbAction(verb)
        }
    }

    static func verbAction(_ verb: String) -> String {
        switch verb.lowercased() {
        case "get", "list", "watch": return "read"
        case "create", "update", "patch": return "write"
        case "delete", "deletecollection": return "delete"
        case "*": return "*"
        default: return "\(verb.lowercased())/action"
        }
    }
}
