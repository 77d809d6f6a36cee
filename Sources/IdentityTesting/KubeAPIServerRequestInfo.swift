import Foundation

/// What kube-apiserver's `RequestInfoFactory` makes of a request: a resource request
/// (verb, API group, version, resource, subresource, name, namespace) or a non-resource path.
public struct KubeAPIServerRequestInfo: Sendable, Equatable {
    public var isResourceRequest: Bool
    public var path: String
    public var verb: String
    public var apiGroup: String
    public var apiVersion: String
    public var namespace: String
    public var resource: String
    public var subresource: String
    public var name: String

    /// - Parameters:
    ///   - method: HTTP method.
    ///   - query: the raw query (`watch=true` turns a list into a watch).
    public static func make(method: String, path: String, query: String) -> KubeAPIServerRequestInfo {
        var info = KubeAPIServerRequestInfo(isResourceRequest: false, path: path, verb: method.lowercased(), apiGroup: "",
                                            apiVersion: "", namespace: "", resource: "", subresource: "", name: "")
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let prefix = parts.first, prefix == "api" || prefix == "apis" else { return info }
        parts.removeFirst()
        if prefix == "apis" {
            guard parts.count >= 3 else { return info }
            info.apiGroup = parts.removeFirst()
        } else {
            guard parts.count >= 2 else { return info }
        }
        info.apiVersion = parts.removeFirst()
        info.isResourceRequest = true
        if parts.first == "namespaces" {
            if parts.count >= 3 {
                info.namespace = parts[1]
                parts.removeFirst(2)
            } else if parts.count == 2 {
                // `/api/v1/namespaces/<ns>` is the namespace object itself, in its own namespace.
                info.namespace = parts[1]
            }
        }
        info.resource = parts.first ?? ""
        if parts.count >= 2 { info.name = parts[1] }
        if parts.count >= 3 { info.subresource = parts[2] }
        let watch = query.split(separator: "&").contains { $0 == "watch=true" || $0 == "watch=1" }
        switch method.uppercased() {
        case "GET", "HEAD": info.verb = info.name.isEmpty ? (watch ? "watch" : "list") : "get"
        case "POST": info.verb = "create"
        case "PUT": info.verb = "update"
        case "PATCH": info.verb = "patch"
        case "DELETE": info.verb = info.name.isEmpty ? "deletecollection" : "delete"
        default: break
        }
        return info
    }

    /// kube-apiserver's Forbidden message (docs/compatibility.md, kube-apiserver;
    /// `responsewriters.Forbidden` wrapped by `apierrors.NewForbidden`): what kubectl prints after
    /// `Error from server (Forbidden): `.
    public func forbiddenMessage(user: String, reason: String) -> String {
        var message: String
        if isResourceRequest {
            let resourceText = subresource.isEmpty ? resource : "\(resource)/\(subresource)"
            message = "User \(Self.quoted(user)) cannot \(verb) resource \(Self.quoted(resourceText)) in API group \(Self.quoted(apiGroup))"
            message += namespace.isEmpty ? " at the cluster scope" : " in the namespace \(Self.quoted(namespace))"
        } else {
            message = "User \(Self.quoted(user)) cannot \(verb) path \(Self.quoted(path))"
        }
        if !reason.isEmpty { message += ": " + reason }
        message = message.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        guard isResourceRequest, !resource.isEmpty else { return "forbidden: \(message)" }
        let qualified = apiGroup.isEmpty ? resource : "\(resource).\(apiGroup)"
        return name.isEmpty ? "\(qualified) is forbidden: \(message)" : "\(qualified) \(Self.quoted(name)) is forbidden: \(message)"
    }

    /// Go's `%q` for the plain strings these messages carry.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
