import ArgumentParser
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    struct Group: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "group", abstract: "Manage security groups and their members.",
            subcommands: [Create.self, List.self, Show.self, Member.self])
    }
}

extension KubeIDCommand.Group {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a group.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(name: .customLong("display-name"), help: "Display name.") var displayName: String
        @Option(name: .customLong("mail-nickname"), help: "Mail nickname (derived from the name when omitted).")
        var mailNickname: String?

        func run() async throws {
            let group = try await store.administration().createGroup(tenant: tenant, displayName: displayName,
                                                                     mailNickname: mailNickname)
            OutputPrinter.print(DirectoryJSON.group(group), output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List groups.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "OData filter, e.g. \"displayName eq 'k8s-admins'\".") var filter: String?

        func run() async throws {
            let groups = try await store.administration().listGroups(tenant: tenant, filter: filter)
            OutputPrinter.print(.array(groups.map(DirectoryJSON.group)), output: output)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a group.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "Group object id.") var group: String

        func run() async throws {
            OutputPrinter.print(DirectoryJSON.group(try await store.administration().group(tenant: tenant, id: group)),
                                output: output)
        }
    }

    struct Member: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage group members (groups may contain groups; tokens carry transitive membership).",
            subcommands: [Add.self, Remove.self, List.self])
    }
}

extension KubeIDCommand.Group.Member {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a member (user, service principal or group object id).")
        @OptionGroup var store: StoreOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "Group object id.") var group: String
        @Option(name: .customLong("member-id"), help: "Object id of the member.") var memberID: String

        func run() async throws {
            try await store.administration().addGroupMember(tenant: tenant, groupID: group, memberID: memberID)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a direct member.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "Group object id.") var group: String
        @Option(name: .customLong("member-id"), help: "Object id of the member.") var memberID: String

        func run() async throws {
            try await store.administration().removeGroupMember(tenant: tenant, groupID: group, memberID: memberID)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List direct members.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "Group object id.") var group: String

        func run() async throws {
            let members = try await store.administration().listGroupMembers(tenant: tenant, groupID: group)
            OutputPrinter.print(.array(members.map(DirectoryJSON.membership)), output: output)
        }
    }
}
