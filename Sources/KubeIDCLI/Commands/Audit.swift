import ArgumentParser
import Foundation
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit", abstract: "Read the audit trail (sign-ins, tokens, denials, admin changes).",
            subcommands: [List.self])
    }
}

extension KubeIDCommand.Audit {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List audit events, oldest first.",
            discussion: """
            Events at or after --since (an RFC 3339 time, or an age such as 30m, 24h, 7d; default 24h), \
            at most --limit of them. Events of the server's busiest paths (client-credentials tokens, \
            webhook denials) are written in batches, so they appear within about a second.
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this tenant's events (id or name).") var tenant: String?
        @Option(help: "Start time: RFC 3339 (2026-11-29T08:00:00Z) or an age (90s, 30m, 24h, 7d).") var since = "24h"
        @Option(help: "At most this many events (1-10000).") var limit = 100
        @Option(help: "Only events whose kind starts with this (e.g. token., signin.failed, cluster.); looks at the first 10000 events from --since.")
        var kind: String?

        func run() async throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000.") }
            guard let start = Self.parseSince(since, now: Date()) else {
                throw ValidationError("--since must be an RFC 3339 time or an age such as 30m, 24h or 7d.")
            }
            let opened = try await StoreFactory.open(store)
            var tenantID: String?
            if let tenant {
                tenantID = try await DirectoryAdministration(store: opened.store, hasher: opened.hasher).tenant(tenant).id
            }
            var events = try await opened.store.auditEvents(tenantID: tenantID, since: start, limit: kind == nil ? limit : 10_000)
            if let kind { events = Array(events.filter { $0.kind.hasPrefix(kind) }.prefix(limit)) }
            OutputPrinter.print(.array(events.map(Self.json)), output: output,
                                tableRows: .array(events.map(Self.tableRow)))
        }

        /// An RFC 3339 time, or an age before `now` in seconds, minutes, hours or days.
        static func parseSince(_ text: String, now: Date) -> Date? {
            if let unit = text.last, let amount = Double(text.dropLast()), amount >= 0, amount.isFinite {
                let seconds: Double? = switch unit {
                case "s": amount
                case "m": amount * 60
                case "h": amount * 3600
                case "d": amount * 86_400
                default: nil
                }
                if let seconds { return now.addingTimeInterval(-seconds) }
            }
            let formatter = ISO8601DateFormatter()
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.date(from: text)
        }

        static func json(_ event: AuditEvent) -> JSONValue {
            func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
            return .object([
                ("id", .string(event.id)), ("time", DirectoryJSON.date(event.time)), ("tenantId", optional(event.tenantID)),
                ("kind", .string(event.kind)), ("outcome", .string(event.outcome)), ("actor", optional(event.actor)),
                ("subject", optional(event.subject)), ("clientId", optional(event.clientID)),
                ("sourceAddress", optional(event.sourceAddress)),
                ("details", .object(event.details.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ])
        }

        static func tableRow(_ event: AuditEvent) -> JSONValue {
            .object([("Time", DirectoryJSON.date(event.time)), ("Kind", .string(event.kind)), ("Outcome", .string(event.outcome)),
                     ("Subject", .string(event.subject ?? event.actor ?? "")), ("Client", .string(event.clientID ?? "")),
                     ("Source", .string(event.sourceAddress ?? ""))])
        }
    }
}
