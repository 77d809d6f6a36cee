import ArgumentParser
import Foundation
import IdentityCore
import IdentityHTTP
import OAuthProtocol

extension KubeIDCommand {
    struct PIM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pim",
            abstract: "Just-in-time group access (PIM for groups): eligibility, active assignments, policies, approvals.",
            discussion: """
            People made eligible for a group activate it themselves for a while (Graph, or the /pim page); \
            tokens and cluster access then carry the group until the activation ends. See docs/just-in-time-access.md.
            """,
            subcommands: [Eligible.self, Assign.self, Remove.self, List.self, Policy.self, Approve.self, Deny.self])
    }
}

/// The flags every PIM command names its target with.
struct PIMTarget: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @Option(help: "Tenant id or name.") var tenant: String
    @Option(help: "Group object id or display name.") var group: String
    @Option(help: "The user (UPN or object id) or group (object id) the access is for.") var principal: String
    @Option(help: "member (the groups claim) or owner.") var access: String = "member"

    /// The tenant, group and principal as ids, and the service acting for the command line.
    func resolve() async throws -> (tenantID: String, groupID: String, principalID: String,
                                    access: PrivilegedAccessSchedule.Access, service: PrivilegedAccess) {
        let context = try await PIMContext.open(store, tenant: tenant)
        let groupID = try await context.groupID(group)
        let principalID = try await context.principalID(principal)
        guard let access = PrivilegedAccessSchedule.Access(rawValue: access.lowercased()) else {
            throw CLIError("--access must be member or owner (got \(access))")
        }
        return (context.tenantID, groupID, principalID, access, context.service)
    }
}

/// The store, tenant and lookups a PIM command needs.
struct PIMContext {
    let administration: DirectoryAdministration
    let service: PrivilegedAccess
    let tenantID: String

    static func open(_ options: StoreOptions, tenant: String) async throws -> PIMContext {
        let opened = try await StoreFactory.open(options)
        let administration = DirectoryAdministration(store: opened.store, hasher: opened.hasher,
                                                     keyEncryption: opened.keyEncryption)
        let tenantID = try await administration.tenant(tenant).id
        return PIMContext(administration: administration, service: PrivilegedAccess(store: opened.store, clock: SystemClock()),
                          tenantID: tenantID)
    }

    func groupID(_ idOrName: String) async throws -> String {
        if ObjectID.canonical(idOrName) != nil { return try await administration.group(tenant: tenantID, id: idOrName).objectID }
        let named = try await administration.listGroups(tenant: tenantID).filter { $0.displayName.lowercased() == idOrName.lowercased() }
        guard named.count == 1 else {
            throw CLIError(named.isEmpty ? "no group named '\(idOrName)'" : "several groups are named '\(idOrName)': give the object id")
        }
        return named[0].objectID
    }

    func principalID(_ upnOrID: String) async throws -> String {
        if upnOrID.contains("@") { return try await administration.user(tenant: tenantID, id: upnOrID).objectID }
        guard let id = ObjectID.canonical(upnOrID) else {
            throw CLIError("--principal must be a user principal name or an object id (got \(upnOrID))")
        }
        if let user = try? await administration.user(tenant: tenantID, id: id) { return user.objectID }
        return try await administration.group(tenant: tenantID, id: id).objectID
    }
}

/// `--duration` in the CLI's forms (`2h`, `90m`) or ISO 8601 (`PT2H`); `--end` as ISO 8601 date-time.
enum PIMWindowOptions {
    static func duration(_ text: String?, flag: String = "--duration") throws -> TimeInterval? {
        guard let text else { return nil }
        if text.uppercased().hasPrefix("P") {
            guard let seconds = PrivilegedAccessDuration.parse(text) else {
                throw CLIError("\(flag) must be a duration such as 2h, 90m or PT2H (got \(text))")
            }
            return seconds
        }
        return try DurationText.seconds(text, flag: flag)
    }

    static func end(_ text: String?) throws -> Date? {
        guard let text else { return nil }
        guard let date = GraphDate.parse(text) else {
            throw CLIError("--end must be an ISO 8601 date-time such as 2027-01-31T18:00:00Z (got \(text))")
        }
        return date
    }

    static func expiration(duration: TimeInterval?, end: Date?) -> PrivilegedAccessWindow.Expiration {
        if duration != nil { return .afterDuration }
        if end != nil { return .afterDateTime }
        return .noExpiration
    }
}

extension KubeIDCommand.PIM {
    struct Eligible: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage who may activate access to a group.", subcommands: [Add.self, List.self, Remove.self])
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give active (time-bound) access to a group now, as an administrator.")
        @OptionGroup var target: PIMTarget
        @OptionGroup var output: OutputOptions
        @Option(help: "How long: 2h, 90m, PT2H.") var duration: String?
        @Option(help: "When it ends (ISO 8601), instead of --duration.") var end: String?
        @Option(help: "Why (recorded in the audit trail).") var justification: String?

        func run() async throws {
            try await PIMSubmit.run(.assignment, .adminAssign, target: target, duration: duration, end: end,
                                    justification: justification, output: output)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End an active assignment or activation now.")
        @OptionGroup var target: PIMTarget
        @OptionGroup var output: OutputOptions
        @Option(help: "Why (recorded in the audit trail).") var justification: String?

        func run() async throws {
            try await PIMSubmit.run(.assignment, .adminRemove, target: target, duration: nil, end: nil,
                                    justification: justification, output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List active and eligible assignments with their windows.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "Only this group (object id or display name).") var group: String?

        func run() async throws {
            let context = try await PIMContext.open(store, tenant: tenant)
            let groupID = try await group.asyncMap(context.groupID)
            var items: [JSONValue] = []
            for kind in PrivilegedAccessSchedule.Kind.allCases {
                for schedule in try await context.service.liveSchedules(tenantID: context.tenantID, kind: kind)
                where groupID == nil || schedule.groupID == groupID {
                    guard case .object(let members) = PrivilegedAccessObjects.instance(schedule) else { continue }
                    items.append(.object([("kind", .string(kind == .eligibility ? "eligible" : "active"))] + members))
                }
            }
            OutputPrinter.print(.array(items), output: output)
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve an activation pending approval.")
        @OptionGroup var decision: PIMDecision
        func run() async throws { try await decision.decide(approve: true) }
    }

    struct Deny: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deny an activation pending approval.")
        @OptionGroup var decision: PIMDecision
        func run() async throws { try await decision.decide(approve: false) }
    }
}

extension KubeIDCommand.PIM.Eligible {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a user (or a group's members) eligible to activate access.")
        @OptionGroup var target: PIMTarget
        @OptionGroup var output: OutputOptions
        @Option(help: "How long the eligibility lasts: 90d, P90D (permanent when neither this nor --end is given).")
        var duration: String?
        @Option(help: "When the eligibility ends (ISO 8601).") var end: String?
        @Option(help: "Why (recorded in the audit trail).") var justification: String?

        func run() async throws {
            try await PIMSubmit.run(.eligibility, .adminAssign, target: target, duration: duration, end: end,
                                    justification: justification, output: output)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List eligibilities.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Tenant id or name.") var tenant: String
        @Option(help: "Only this group (object id or display name).") var group: String?

        func run() async throws {
            let context = try await PIMContext.open(store, tenant: tenant)
            let groupID = try await group.asyncMap(context.groupID)
            let schedules = try await context.service.liveSchedules(tenantID: context.tenantID, kind: .eligibility)
                .filter { groupID == nil || $0.groupID == groupID }
            OutputPrinter.print(.array(schedules.map(PrivilegedAccessObjects.schedule)), output: output)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an eligibility.")
        @OptionGroup var target: PIMTarget
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await PIMSubmit.run(.eligibility, .adminRemove, target: target, duration: nil, end: nil,
                                    justification: nil, output: output)
        }
    }
}

/// Submits an admin request for the command line and prints the request as Graph would.
enum PIMSubmit {
    static func run(_ kind: PrivilegedAccessSchedule.Kind, _ action: PrivilegedAccessRequest.Action, target: PIMTarget,
                    duration: String?, end: String?, justification: String?, output: OutputOptions) async throws {
        let seconds = try PIMWindowOptions.duration(duration)
        let endsAt = try PIMWindowOptions.end(end)
        if seconds != nil, endsAt != nil { throw CLIError("give --duration or --end, not both") }
        let resolved = try await target.resolve()
        let submission = PrivilegedAccessSubmission(
            kind: kind, action: action, groupID: resolved.groupID, principalID: resolved.principalID,
            access: resolved.access, justification: justification,
            expiration: PIMWindowOptions.expiration(duration: seconds, end: endsAt), duration: seconds, endsAt: endsAt)
        let request = try await resolved.service.submit(submission, tenantID: resolved.tenantID, by: .commandLine)
        OutputPrinter.print(PrivilegedAccessObjects.request(request), output: output)
    }
}

/// `kubeid pim approve|deny`.
struct PIMDecision: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Tenant id or name.") var tenant: String
    @Option(help: "The request id (Graph's approvalId).") var request: String
    @Option(help: "Why (recorded with the decision).") var justification: String?

    func decide(approve: Bool) async throws {
        let context = try await PIMContext.open(store, tenant: tenant)
        let decided = try await context.service.review(requestID: request, tenantID: context.tenantID, approve: approve,
                                                       justification: justification, by: .commandLine)
        OutputPrinter.print(PrivilegedAccessObjects.request(decided), output: output)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
