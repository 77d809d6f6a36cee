/// A role: a named set of data actions, Azure's model for "Azure Kubernetes Service RBAC …"
/// roles (Azure built-in roles for Containers). Only the built-in roles exist; assignments name one
/// by id.
public struct RoleDefinition: Sendable, Hashable {
    /// The role's GUID, the same as Azure's built-in role.
    public var id: String
    public var name: String
    public var description: String
    /// Patterns (`*` matches any run of characters, ASCII case ignored) a request's data action
    /// must match.
    public var dataActions: [String]
    /// Patterns that take actions away again.
    public var notDataActions: [String]
    /// Control-plane actions (Azure Resource Manager); listed for `role definition list`, not
    /// evaluated by kubeid.
    public var actions: [String]

    public init(id: String, name: String, description: String, dataActions: [String], notDataActions: [String] = [],
                actions: [String] = RoleDefinition.readActions) {
        self.id = id
        self.name = name
        self.description = description
        self.dataActions = dataActions
        self.notDataActions = notDataActions
        self.actions = actions
    }

    public static let readActions = [
        "Microsoft.Authorization/*/read", "Microsoft.Resources/subscriptions/operationresults/read",
        "Microsoft.Resources/subscriptions/read", "Microsoft.Resources/subscriptions/resourceGroups/read",
    ]
    static let adminActions = readActions + ["Microsoft.ContainerService/managedClusters/listClusterUserCredential/action"]

    /// Whether this role allows `action` (a ``DataAction`` string; it may contain `*` when the
    /// request used a wildcard verb or resource, in which case a pattern must cover all of it and
    /// no exclusion may touch any of it).
    public func allows(_ action: String) -> Bool {
        dataActions.contains { ActionPattern.covers($0, action) }
            && !notDataActions.contains { ActionPattern.overlaps($0, action) }
    }

    /// "Microsoft.ContainerService/managedClusters/"
    static let prefix = DataAction.prefix + "/"

    static func actions(_ suffixes: [String]) -> [String] { suffixes.map { prefix + $0 } }

    public static let aksRBACReader = RoleDefinition(
        id: "7f6c6a51-bcf8-42ba-9220-52d62157d7db", name: "Azure Kubernetes Service RBAC Reader",
        description: "Allows read-only access to see most objects in a namespace. It does not allow viewing roles or role bindings. This role does not allow viewing Secrets.",
        dataActions: actions([
            "apps/controllerrevisions/read", "apps/daemonsets/read", "apps/deployments/read", "apps/replicasets/read",
            "apps/statefulsets/read", "autoscaling/horizontalpodautoscalers/read", "batch/cronjobs/read", "batch/jobs/read",
            "configmaps/read", "discovery.k8s.io/endpointslices/read", "endpoints/read", "events.k8s.io/events/read",
            "events/read", "extensions/daemonsets/read", "extensions/deployments/read", "extensions/ingresses/read",
            "extensions/networkpolicies/read", "extensions/replicasets/read", "limitranges/read", "metrics.k8s.io/pods/read",
            "metrics.k8s.io/nodes/read", "namespaces/read", "networking.k8s.io/ingresses/read",
            "networking.k8s.io/networkpolicies/read", "persistentvolumeclaims/read", "pods/read",
            "policy/poddisruptionbudgets/read", "replicationcontrollers/read", "resourcequotas/read",
            "serviceaccounts/read", "services/read",
        ]))

    public static let aksRBACWriter = RoleDefinition(
        id: "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb", name: "Azure Kubernetes Service RBAC Writer",
        description: "Allows read/write access to most objects in a namespace. This role does not allow viewing or modifying roles or role bindings. However, this role allows accessing Secrets and running Pods as any ServiceAccount in the namespace.",
        dataActions: actions([
            "apps/controllerrevisions/read", "apps/daemonsets/*", "apps/deployments/*", "apps/replicasets/*",
            "apps/statefulsets/*", "autoscaling/horizontalpodautoscalers/*", "batch/cronjobs/*", "batch/jobs/*",
            "coordination.k8s.io/leases/read", "coordination.k8s.io/leases/write", "coordination.k8s.io/leases/delete",
            "discovery.k8s.io/endpointslices/read", "configmaps/*", "endpoints/*", "events.k8s.io/events/read", "events/*",
            "extensions/daemonsets/*", "extensions/deployments/*", "extensions/ingresses/*", "extensions/networkpolicies/*",
            "extensions/replicasets/*", "limitranges/read", "metrics.k8s.io/pods/read", "metrics.k8s.io/nodes/read",
            "namespaces/read", "networking.k8s.io/ingresses/*", "networking.k8s.io/networkpolicies/*",
            "persistentvolumeclaims/*", "pods/*", "policy/poddisruptionbudgets/*", "replicationcontrollers/*",
            "resourcequotas/read", "secrets/*", "serviceaccounts/*", "services/*",
        ]))

    public static let aksRBACAdmin = RoleDefinition(
        id: "3498e952-d568-435e-9b2c-8d77e338d7f7", name: "Azure Kubernetes Service RBAC Admin",
        description: "Lets you manage all resources under cluster/namespace, except update or delete resource quotas and namespaces.",
        dataActions: [DataAction.prefix + "/*"],
        notDataActions: actions(["resourcequotas/write", "resourcequotas/delete", "namespaces/write", "namespaces/delete"]),
        actions: adminActions)

    public static let aksRBACClusterAdmin = RoleDefinition(
        id: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b", name: "Azure Kubernetes Service RBAC Cluster Admin",
        description: "Lets you manage all resources in the cluster.",
        dataActions: [DataAction.prefix + "/*"], actions: adminActions)

    /// Every built-in role, in Azure's listing order (by name).
    public static let builtIn: [RoleDefinition] = [aksRBACAdmin, aksRBACClusterAdmin, aksRBACReader, aksRBACWriter]

    /// The built-in role with this GUID (any case) or exact name (ASCII case ignored), or nil.
    public static func builtIn(named nameOrID: String) -> RoleDefinition? {
        let wanted = nameOrID.lowercased()
        return builtIn.first { $0.id == wanted || $0.name.lowercased() == wanted }
    }
}

/// Glob patterns over data actions: `*` matches any run of characters (including `/`), other
/// characters match themselves ignoring ASCII case, as Azure compares actions.
public enum ActionPattern {
    /// Whether `pattern` matches every action `action` stands for. For a literal `action` that is
    /// plain matching; a `*` in `action` is only covered by a `*` of the pattern, so
    /// `…/pods/*` covers `…/pods/*` but `…/pods/read` does not.
    public static func covers(_ pattern: String, _ action: String) -> Bool {
        // Most patterns of the built-in roles are literal: compare without building arrays
        // (every SubjectAccessReview tries a role's patterns one by one).
        if !pattern.utf8.contains(star) { return equalIgnoringASCIICase(pattern, action) }
        let p = Array(pattern.lowercased().utf8), a = Array(action.lowercased().utf8)
        // Classic glob matching with a single backtrack point (linear for one star per segment).
        var pi = 0, ai = 0, starPattern = -1, starAction = 0
        while ai < a.count {
            if pi < p.count, p[pi] != star, p[pi] == a[ai] {
                pi += 1; ai += 1
            } else if pi < p.count, p[pi] == star {
                starPattern = pi; starAction = ai; pi += 1
            } else if starPattern >= 0 {
                pi = starPattern + 1; starAction += 1; ai = starAction
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == star { pi += 1 }
        return pi == p.count
    }

    /// Whether some action matches both `pattern` and `action` (either may hold `*`): an
    /// exclusion that overlaps a wildcard request removes it.
    public static func overlaps(_ pattern: String, _ action: String) -> Bool {
        let p = Array(pattern.lowercased().utf8), a = Array(action.lowercased().utf8)
        var memo = [Int: Bool]()
        func go(_ i: Int, _ j: Int) -> Bool {
            let key = i * (a.count + 1) + j
            if let known = memo[key] { return known }
            let result: Bool
            if i == p.count && j == a.count {
                result = true
            } else if i < p.count && p[i] == star {
                result = go(i + 1, j) || (j < a.count && go(i, j + 1))
            } else if j < a.count && a[j] == star {
                result = go(i, j + 1) || (i < p.count && go(i + 1, j))
            } else if i < p.count && j < a.count && p[i] == a[j] {
                result = go(i + 1, j + 1)
            } else {
                result = false
            }
            memo[key] = result
            return result
        }
        return go(0, 0)
    }

    private static func equalIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8) { lowercased($0) == lowercased($1) }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    private static let star = UInt8(ascii: "*")
}
