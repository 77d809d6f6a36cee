/// Role-assignment scopes for a cluster: the cluster's resource id
/// (`/tenants/<tid>/clusters/<name>`), or one namespace of it
/// (`/tenants/<tid>/clusters/<name>/namespaces/<ns>`). Scopes compare ignoring ASCII case in
/// their fixed parts and the cluster name, as Azure resource ids do; namespaces compare exactly
/// (Kubernetes names are lower-case DNS labels).
public struct ClusterScope: Sendable, Hashable {
    public var tenantID: String
    public var clusterName: String
    /// Nil for the whole cluster.
    public var namespace: String?

    public init(tenantID: String, clusterName: String, namespace: String?) {
        self.tenantID = tenantID
        self.clusterName = clusterName
        self.namespace = namespace
    }

    public static func clusterResourceID(tenantID: String, name: String) -> String {
        "/tenants/\(tenantID)/clusters/\(name)"
    }

    /// The scope string, as `az role assignment` prints it.
    public var resourceID: String {
        let cluster = Self.clusterResourceID(tenantID: tenantID, name: clusterName)
        guard let namespace else { return cluster }
        return "\(cluster)/namespaces/\(namespace)"
    }

    /// Parses a scope string. Accepts AKS's newer namespace form
    /// (`…/providers/Microsoft.KubernetesConfiguration/namespaces/<ns>`) as well. Nil when the
    /// text is not a cluster or namespace scope (the tenant id is not checked against a store).
    public static func parse(_ text: String) -> ClusterScope? {
        var trimmed = Substring(text)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // "", "tenants", tid, "clusters", name [, "namespaces", ns] | [, "providers", "Microsoft.KubernetesConfiguration", "namespaces", ns]
        guard parts.count >= 5, parts[0].isEmpty, parts[1].lowercased() == "tenants",
              let tenantID = ObjectID.canonical(parts[2]), parts[3].lowercased() == "clusters",
              ClusterName.isValid(parts[4]) else { return nil }
        var namespace: String?
        switch parts.count {
        case 5: namespace = nil
        case 7 where parts[5].lowercased() == "namespaces": namespace = parts[6]
        case 9 where parts[5].lowercased() == "providers" && parts[6].lowercased() == "microsoft.kubernetesconfiguration"
            && parts[7].lowercased() == "namespaces": namespace = parts[8]
        default: return nil
        }
        if let namespace, !KubernetesName.isValidNamespace(namespace) { return nil }
        return ClusterScope(tenantID: tenantID, clusterName: parts[4], namespace: namespace)
    }
}

/// AKS's rules for cluster names: 1-63 characters, letters, digits, `_` and `-`, starting and
/// ending with a letter or digit.
public enum ClusterName {
    public static func isValid(_ name: String) -> Bool {
        guard (1...63).contains(name.count), let first = name.first, let last = name.last,
              first.isASCII, first.isLetter || first.isNumber, last.isASCII, last.isLetter || last.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

/// Kubernetes object-name rules kubeid checks.
public enum KubernetesName {
    /// A namespace is an RFC 1123 label: 1-63 lower-case letters, digits and `-`, starting and
    /// ending with a letter or digit.
    public static func isValidNamespace(_ name: String) -> Bool {
        guard (1...63).contains(name.count), let first = name.first, let last = name.last,
              first.isLowercaseASCIIAlphanumeric, last.isLowercaseASCIIAlphanumeric else { return false }
        return name.allSatisfy { $0.isLowercaseASCIIAlphanumeric || $0 == "-" }
    }
}

extension Character {
    var isLowercaseASCIIAlphanumeric: Bool {
        isASCII && (("a"..."z").contains(self) || ("0"..."9").contains(self))
    }
}
