import ArgumentParser
import Foundation
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    /// `kubeid role …`: Azure-RBAC-style roles for clusters (like az role).
    struct Role: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "role", abstract: "Grant the built-in AKS RBAC roles at cluster or namespace scope (like az role).",
            subcommands: [Assignment.self, Definition.self])
    }
}

extension KubeIDCommand.Role {
    struct Assignment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage role assignments.", subcommands: [Create.self, List.self, Delete.self])
    }

    struct Definition: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the built-in roles.", subcommands: [List.self])
    }
}

extension KubeIDCommand.Role.Assignment {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grant a role.",
            discussion: """
            Example: kubeid role assignment create --role "Azure Kubernetes Service RBAC Reader" \\
                         --assignee alice@contoso.example --scope /tenants/<tid>/clusters/dev/namespaces/team-a
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Role name or id (`kubeid role definition list`).") var role: String
        @Option(help: "Object id, user principal name, or a service principal's app id.") var assignee: String
        @Option(help: "A cluster id (/tenants/<tid>/clusters/<name>) or <cluster id>/namespaces/<ns>.") var scope: String

        func run() async throws {
            let details = try await store.administration().createRoleAssignment(role: role, assignee: assignee, scope: scope)
            OutputPrinter.print(ClusterJSON.roleAssignment(details), output: output,
                                tableRows: ClusterJSON.roleAssignmentRow(details))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List role assignments (at a scope, or of a tenant).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name (when --scope is not given).") var tenant: String?
        @Option(help: "A cluster id (its assignments, namespaces included) or a namespace scope.") var scope: String?
        @Option(help: "Only this principal's (object id, UPN or app id).") var assignee: String?
        @Option(help: "Only this role (name or id).") var role: String?

        func run() async throws {
            var assignments = try await store.administration().listRoleAssignments(tenant: tenant, scope: scope, assignee: assignee)
            if let role {
                guard let definition = RoleDefinition.builtIn(named: role) else { throw CLIError("role '\(role)' not found") }
                assignments = assignments.filter { $0.role.id == definition.id }
            }
            OutputPrinter.print(.array(assignments.map(ClusterJSON.roleAssignment)), output: output,
                                tableRows: .array(assignments.map(ClusterJSON.roleAssignmentRow)))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete role assignments: by --ids, or those of --assignee at --scope (optionally of --role).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Assignment id (its full resource id, or its GUID with --tenant).") var ids: String?
        @Option(help: "Tenant id or name.") var tenant: String?
        @Option(help: "Object id, UPN or app id.") var assignee: String?
        @Option(help: "Role name or id.") var role: String?
        @Option(help: "Cluster or namespace scope.") var scope: String?

        func run() async throws {
            let deleted = try await store.administration().deleteRoleAssignments(id: ids, tenant: tenant, assignee: assignee,
                                                                                 role: role, scope: scope)
            OutputPrinter.print(.array(deleted.map(ClusterJSON.roleAssignment)), output: output)
        }
    }
}

extension KubeIDCommand.Role.Definition {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in AKS RBAC roles.")
        /// Accepted (and unused) so every `kubeid` verb takes the same store flags.
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only the role with this name or id.") var name: String?

        func run() async throws {
            var roles = RoleDefinition.builtIn
            if let name {
                guard let role = RoleDefinition.builtIn(named: name) else { throw CLIError("role '\(name)' not found") }
                roles = [role]
            }
            OutputPrinter.print(.array(roles.map(ClusterJSON.roleDefinition)), output: output,
                                tableRows: .array(roles.map { .object([("name", .string($0.name)), ("id", .string($0.id))]) }))
        }
    }
}
