import ArgumentParser
import Cryptography
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    /// `kubeid dev`: tools for measuring and trying kubeid, not for production directories.
    struct Dev: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dev", abstract: "Tools for trying and measuring kubeid (generated directories).",
            subcommands: [SeedDirectory.self])
    }
}

extension KubeIDCommand.Dev {
    struct SeedDirectory: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed-directory",
            abstract: "Create a tenant filled with a generated directory of the given size (docs/directory-scale.md).",
            discussion: """
            Groups form chains --nesting-depth long; every user is a direct member of the last group of one \
            chain, so in --nesting-depth groups; the probe user (probe@<tenant>.example) is in --probe-groups \
            groups and may `get pods` in namespace dev of cluster-0 through the deepest of them. All seeded users \
            share one generated password, printed with the result. Progress goes to stderr.
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Name of the new tenant.") var tenant: String
        @Option(help: "Users, the probe user included.") var users = 100_000
        @Option(help: "Groups (a multiple of --nesting-depth).") var groups = 10_000
        @Option(name: .customLong("nesting-depth"), help: "Length of each chain of nested groups.") var nestingDepth = 5
        @Option(name: .customLong("probe-groups"), help: "Groups the probe user is in, transitively.") var probeGroups = 500
        @Option(help: "Clusters (Azure RBAC).") var clusters = 100
        @Option(name: .customLong("role-assignments"), help: "Role assignments, spread over the clusters.")
        var roleAssignments = 10_000
        @Option(name: .customLong("service-principals"), help: "Service principals with a client secret each.")
        var servicePrincipals = 1_000

        func run() async throws {
            var plan = DirectorySeeder.Plan()
            plan.users = users
            plan.groups = groups
            plan.nestingDepth = nestingDepth
            plan.probeGroups = probeGroups
            plan.clusters = clusters
            plan.roleAssignments = roleAssignments
            plan.servicePrincipals = servicePrincipals
            let password = "Seed-" + Base64URL.encode(SecureRandom.bytes(12))
            let seeder = DirectorySeeder(administration: try await store.administration())
            let result = try await seeder.seed(tenantName: tenant, plan: plan, password: password) { line in
                KubeIDCommand.Serve.say("kubeid: seeded \(line)")
            }
            OutputPrinter.print(.object([
                ("tenantId", .string(result.tenant.id)),
                ("tenant", .string(result.tenant.name)),
                ("probeUserPrincipalName", .string(result.probeUser.userPrincipalName)),
                ("probeUserId", .string(result.probeUser.objectID)),
                ("password", .string(result.password)),
                ("probeCluster", .string(result.probeCluster.name)),
                ("probeClusterId", .string(result.probeCluster.resourceID)),
                ("probeNamespace", .string(result.probeNamespace)),
                ("counts", .object(result.counts.map { ($0.0, .number(Double($0.1))) })),
                ("seconds", .number((result.seconds * 10).rounded() / 10)),
            ]), output: output)
        }
    }
}
