import ArgumentParser
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    struct Tenant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tenant", abstract: "Manage tenants (directories).",
            subcommands: [Create.self, List.self, Show.self])
    }
}

extension KubeIDCommand.Tenant {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant and register the well-known AKS applications in it.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Name, usable instead of the id in URLs and --tenant (letters, digits, '.', '-').")
        var name: String
        @Option(help: "Tenant id (GUID); generated when omitted.")
        var id: String?

        func run() async throws {
            let tenant = try await store.administration().createTenant(name: name, id: id)
            OutputPrinter.print(.object([("id", .string(tenant.id)), ("name", .string(tenant.name))]), output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let tenants = try await store.administration().listTenants()
            OutputPrinter.print(.array(tenants.map(DirectoryJSON.tenant)), output: output)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one tenant.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String

        func run() async throws {
            OutputPrinter.print(DirectoryJSON.tenant(try await store.administration().tenant(tenant)), output: output)
        }
    }
}
