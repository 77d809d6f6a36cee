import ArgumentParser
import IdentityCore
import OAuthProtocol

extension KubeIDCommand.ServicePrincipal {
    /// `kubeid sp permission grant|list|revoke`: Microsoft Graph application permissions with
    /// admin consent, what `az ad app permission add` + `admin-consent` do in Entra.
    struct Permission: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grant Microsoft Graph application permissions (admin API access) to a service principal.",
            subcommands: [Grant.self, List.self, Revoke.self])
    }
}

extension KubeIDCommand.ServicePrincipal.Permission {
    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grant permissions (admin consent included), e.g. --permission User.ReadWrite.All.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "appId or object id of the service principal.") var id: String
        @Option(parsing: .upToNextOption, help: "Graph permission name or app role id (repeatable).") var permission: [String]

        func run() async throws {
            let grants = try await store.administration().grantPermissions(tenant: tenant, servicePrincipal: id, permissions: permission)
            OutputPrinter.print(.array(grants.map(PermissionJSON.grant)), output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the Graph permissions a service principal holds.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "appId or object id of the service principal.") var id: String

        func run() async throws {
            let grants = try await store.administration().listPermissions(tenant: tenant, servicePrincipal: id)
            OutputPrinter.print(.array(grants.map(PermissionJSON.grant)), output: output)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke Graph permissions.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "appId or object id of the service principal.") var id: String
        @Option(parsing: .upToNextOption, help: "Graph permission name or app role id (repeatable).") var permission: [String]

        func run() async throws {
            try await store.administration().revokePermissions(tenant: tenant, servicePrincipal: id, permissions: permission)
        }
    }
}

/// JSON for permission grants and directory roles, in Graph's property names.
enum PermissionJSON {
    static func grant(_ grant: DirectoryAdministration.PermissionGrant) -> JSONValue {
        .object([
            ("id", .string(grant.assignment.id)),
            ("permission", .string(grant.permission.name)),
            ("appRoleId", .string(grant.permission.appRoleID)),
            ("resourceDisplayName", .string("Microsoft Graph")),
            ("resourceId", .string(grant.assignment.resourceID)),
            ("principalId", .string(grant.assignment.principalID)),
            ("createdDateTime", DirectoryJSON.date(grant.assignment.createdAt)),
        ])
    }

    static func role(_ membership: DirectoryAdministration.RoleMembership) -> JSONValue {
        .object([
            ("id", .string(membership.assignment.id)),
            ("role", .string(membership.role.displayName)),
            ("roleDefinitionId", .string(membership.role.templateID)),
            ("principalId", .string(membership.user.objectID)),
            ("userPrincipalName", .string(membership.user.userPrincipalName)),
            ("createdDateTime", DirectoryJSON.date(membership.assignment.createdAt)),
        ])
    }
}
