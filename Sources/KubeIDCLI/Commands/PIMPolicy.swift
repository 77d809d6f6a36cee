import ArgumentParser
import Foundation
import IdentityCore
import IdentityHTTP
import OAuthProtocol

extension KubeIDCommand.PIM {
    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or change a group's activation policy.", subcommands: [Show.self, Update.self])
    }
}

/// The group and access kind a policy command is about.
struct PIMPolicyTarget: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Tenant id or name.") var tenant: String
    @Option(help: "Group object id or display name.") var group: String
    @Option(help: "member or owner.") var access: String = "member"

    func accessKind() throws -> PrivilegedAccessSchedule.Access {
        guard let kind = PrivilegedAccessSchedule.Access(rawValue: access.lowercased()) else {
            throw CLIError("--access must be member or owner (got \(access))")
        }
        return kind
    }
}

extension KubeIDCommand.PIM.Policy {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the policy as Graph's rules.")
        @OptionGroup var target: PIMPolicyTarget

        func run() async throws {
            let context = try await PIMContext.open(target.store, tenant: target.tenant)
            let policy = try await context.service.policy(tenantID: context.tenantID, groupID: try await context.groupID(target.group),
                                                          access: try target.accessKind())
            OutputPrinter.print(PrivilegedAccessObjects.policy(policy), output: target.output)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change what an activation needs (only the flags given change).")
        @OptionGroup var target: PIMPolicyTarget
        @Option(name: .customLong("max-duration"), help: "Longest activation: 1h, 90m, PT8H (at least one minute).")
        var maximumDuration: String?
        @Flag(inversion: .prefixedNo, help: "Require a justification to activate.") var requireJustification: Bool?
        @Flag(name: .customLong("require-mfa"), inversion: .prefixedNo, help: "Require multi-factor authentication to activate.")
        var requireMFA: Bool?
        @Flag(inversion: .prefixedNo, help: "Require a ticket number to activate.") var requireTicket: Bool?
        @Flag(inversion: .prefixedNo, help: "Require an approver's decision.") var requireApproval: Bool?
        @Option(help: "An approver: a user (UPN or object id) or a group (object id or name) whose members approve. Repeatable; replaces the list.")
        var approver: [String] = []
        @Option(name: .customLong("max-eligibility"), help: "Longest eligibility an administrator may give: 365d, P365D.")
        var maximumEligibility: String?
        @Option(name: .customLong("max-assignment"), help: "Longest active assignment an administrator may give: 180d, P180D.")
        var maximumAssignment: String?

        func run() async throws {
            let context = try await PIMContext.open(target.store, tenant: target.tenant)
            let groupID = try await context.groupID(target.group)
            let activation = try PIMWindowOptions.duration(maximumDuration, flag: "--max-duration")
            let eligibility = try PIMWindowOptions.duration(maximumEligibility, flag: "--max-eligibility")
            let assignment = try PIMWindowOptions.duration(maximumAssignment, flag: "--max-assignment")
            var approvers: [PrivilegedAccessPolicy.Approver] = []
            for name in approver {
                if name.contains("@") {
                    approvers.append(.user(try await context.principalID(name)))
                } else if let id = ObjectID.canonical(name), (try? await context.administration.user(tenant: context.tenantID, id: id)) != nil {
                    approvers.append(.user(id))
                } else {
                    approvers.append(.groupMembers(try await context.groupID(name)))
                }
            }
            let requirements: [(Bool?, PrivilegedAccessPolicy.ActivationRequirement)] = [
                (requireJustification, .justification), (requireMFA, .multiFactorAuthentication), (requireTicket, .ticketing),
            ]
            let policy = try await context.service.updatePolicy(
                tenantID: context.tenantID, groupID: groupID, access: try target.accessKind(), by: .commandLine
            ) { policy in
                if let activation { policy.maximumActivationDuration = activation }
                if let eligibility { policy.maximumEligibilityDuration = eligibility }
                if let assignment { policy.maximumAssignmentDuration = assignment }
                for (wanted, requirement) in requirements {
                    guard let wanted else { continue }
                    if wanted { policy.activationRequirements.insert(requirement) } else { policy.activationRequirements.remove(requirement) }
                }
                if let requireApproval { policy.approvalRequired = requireApproval }
                if !approvers.isEmpty { policy.approvers = approvers }
            }
            OutputPrinter.print(PrivilegedAccessObjects.policy(policy), output: target.output)
        }
    }
}
