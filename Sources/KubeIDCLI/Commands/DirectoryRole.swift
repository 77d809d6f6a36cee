import ArgumentParser
import IdentityCore

extension KubeIDCommand {
    /// `kubeid directory-role assign|list|remove`: Entra's built-in directory roles, which decide
    /// what a person may do through the Graph admin API.
    struct DirectoryRoleCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "directory-role",
            abstract: "Give people directory roles (Global Administrator, Groups Administrator, ...) for the Graph admin API.",
            discussion: "Roles: \(IdentityCore.DirectoryRole.all.map(\.displayName).joined(separator: ", ")).",
            subcommands: [Assign.self, List.self, Remove.self])
    }
}

extension KubeIDCommand.DirectoryRoleCommand {
    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user a directory role.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "Role name (\"Groups Administrator\") or template id.") var role: String
        @Option(help: "User principal name or object id.") var member: String

        func run() async throws {
            let membership = try await store.administration().assignDirectoryRole(tenant: tenant, role: role, member: member)
            OutputPrinter.print(PermissionJSON.role(membership), output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List who holds directory roles.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "Only this role.") var role: String?
        @Option(help: "Only this user (UPN or object id).") var member: String?

        func run() async throws {
            let memberships = try await store.administration().listDirectoryRoles(tenant: tenant, role: role, member: member)
            OutputPrinter.print(.array(memberships.map(PermissionJSON.role)), output: output)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a directory role away from a user.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "Role name or template id.") var role: String
        @Option(help: "User principal name or object id.") var member: String

        func run() async throws {
            try await store.administration().removeDirectoryRole(tenant: tenant, role: role, member: member)
        }
    }
}
