import IdentityCore
import Testing

/// One table per built-in role (Azure built-in roles for Containers): requests it allows and
/// requests it refuses.
@Suite("Built-in AKS RBAC roles")
struct RoleDefinitionTests {
    static func action(_ verb: String, _ resource: String, group: String = "", subresource: String = "") -> String {
        DataAction.of(.resource(ResourceAccess(verb: verb, group: group, resource: resource, subresource: subresource,
                                               namespace: "dev")))
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var role: RoleDefinition
        var action: String
        var allowed: Bool
        var testDescription: String { "\(role.name): \(action) → \(allowed ? "allowed" : "refused")" }
    }

    static let reader = RoleDefinition.aksRBACReader
    static let writer = RoleDefinition.aksRBACWriter
    static let admin = RoleDefinition.aksRBACAdmin
    static let clusterAdmin = RoleDefinition.aksRBACClusterAdmin

    static let rows: [Row] = [
        // Reader: reads most namespaced objects, never Secrets, roles or writes.
        Row(role: reader, action: action("list", "pods"), allowed: true),
        Row(role: reader, action: action("get", "deployments", group: "apps"), allowed: true),
        Row(role: reader, action: action("watch", "configmaps"), allowed: true),
        Row(role: reader, action: action("get", "namespaces"), allowed: true),
        Row(role: reader, action: action("list", "ingresses", group: "networking.k8s.io"), allowed: true),
        Row(role: reader, action: action("list", "jobs", group: "batch"), allowed: true),
        Row(role: reader, action: action("get", "secrets"), allowed: false),
        Row(role: reader, action: action("list", "roles", group: "rbac.authorization.k8s.io"), allowed: false),
        Row(role: reader, action: action("create", "pods"), allowed: false),
        Row(role: reader, action: action("delete", "pods"), allowed: false),
        Row(role: reader, action: action("create", "pods", subresource: "exec"), allowed: false),
        Row(role: reader, action: action("*", "pods"), allowed: false),
        Row(role: reader, action: action("list", "nodes"), allowed: false),
        // Writer: read/write most objects, Secrets and exec included; no roles or bindings.
        Row(role: writer, action: action("create", "deployments", group: "apps"), allowed: true),
        Row(role: writer, action: action("delete", "pods"), allowed: true),
        Row(role: writer, action: action("create", "pods", subresource: "exec"), allowed: true),
        Row(role: writer, action: action("get", "secrets"), allowed: true),
        Row(role: writer, action: action("create", "configmaps"), allowed: true),
        Row(role: writer, action: action("update", "leases", group: "coordination.k8s.io"), allowed: true),
        Row(role: writer, action: action("*", "pods"), allowed: true),
        Row(role: writer, action: action("update", "controllerrevisions", group: "apps"), allowed: false),
        Row(role: writer, action: action("create", "rolebindings", group: "rbac.authorization.k8s.io"), allowed: false),
        Row(role: writer, action: action("update", "resourcequotas"), allowed: false),
        Row(role: writer, action: action("create", "namespaces"), allowed: false),
        // Admin: everything but changing quotas and namespaces.
        Row(role: admin, action: action("create", "rolebindings", group: "rbac.authorization.k8s.io"), allowed: true),
        Row(role: admin, action: action("delete", "secrets"), allowed: true),
        Row(role: admin, action: action("get", "namespaces"), allowed: true),
        Row(role: admin, action: action("update", "resourcequotas"), allowed: false),
        Row(role: admin, action: action("delete", "resourcequotas"), allowed: false),
        Row(role: admin, action: action("create", "namespaces"), allowed: false),
        Row(role: admin, action: action("delete", "namespaces"), allowed: false),
        Row(role: admin, action: action("*", "namespaces"), allowed: false),
        Row(role: admin, action: action("*", "*", group: "*"), allowed: false),
        // Cluster Admin: everything.
        Row(role: clusterAdmin, action: action("delete", "namespaces"), allowed: true),
        Row(role: clusterAdmin, action: action("*", "*", group: "*"), allowed: true),
        Row(role: clusterAdmin, action: DataAction.of(.nonResource(path: "/metrics", verb: "get")), allowed: true),
    ]

    @Test(arguments: rows)
    func decision(_ row: Row) {
        #expect(row.role.allows(row.action) == row.allowed)
    }

    @Test func builtInRolesByNameOrID() {
        #expect(RoleDefinition.builtIn(named: "Azure Kubernetes Service RBAC Reader") == Self.reader)
        #expect(RoleDefinition.builtIn(named: "azure kubernetes service rbac writer") == Self.writer)
        #expect(RoleDefinition.builtIn(named: "3498E952-D568-435E-9B2C-8D77E338D7F7") == Self.admin)
        #expect(RoleDefinition.builtIn(named: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b") == Self.clusterAdmin)
        #expect(RoleDefinition.builtIn(named: "Owner") == nil)
        #expect(RoleDefinition.builtIn.count == 4)
    }
}
