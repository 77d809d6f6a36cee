import ArgumentParser
import Foundation
import IdentityCore
import OAuthProtocol

extension KubeIDCommand {
    struct SignIn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "signin", abstract: "Read the sign-in log (every sign-in attempt, in Graph's signIn shape).",
            subcommands: [List.self, Show.self])
    }
}

extension KubeIDCommand.SignIn {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List sign-ins, newest first.",
            discussion: """
            Every attempt is one record: device-code, authorization-code, password and refresh sign-ins of \
            users, and client-credentials sign-ins of service principals, successes and failures. Records \
            are written in batches, so a sign-in appears within about a second. Without --since, the last \
            24 hours. --top is the page size; when more records match, the last line on stderr gives the \
            --skip-token for the next page.
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this tenant's sign-ins (id or name).") var tenant: String?
        @Option(help: "Start time: RFC 3339 (2026-11-29T08:00:00Z) or an age (90s, 30m, 24h, 7d).") var since = "24h"
        @Option(help: "Only this user's sign-ins (user principal name).") var user: String?
        @Option(help: "Only sign-ins to this client application (app id).") var app: String?
        @Option(name: .customLong("error-code"), help: "Only sign-ins that ended with this AADSTS code (0: success).")
        var errorCode: Int?
        @Option(help: "Only successes or only failures (success|failure).") var status: SignInQuery.Outcome?
        @Option(name: .customLong("correlation-id"), help: "Only the sign-ins with this correlation id.") var correlationID: String?
        @Option(help: "At most this many records (1-1000).") var top = 100
        @Option(name: .customLong("skip-token"), help: "Continue where a previous page ended.") var skipToken: String?

        func validate() throws {
            guard (1...SignInQuery.maximumPageSize).contains(top) else { throw ValidationError("--top must be between 1 and 1000.") }
        }

        func run() async throws {
            guard let start = KubeIDCommand.Audit.List.parseSince(since, now: Date()) else {
                throw ValidationError("--since must be an RFC 3339 time or an age such as 30m, 24h or 7d.")
            }
            var after: SignInCursor?
            if let skipToken {
                guard let cursor = SignInCursor(token: skipToken) else {
                    throw ValidationError("--skip-token is not one that 'kubeid signin list' printed.")
                }
                after = cursor
            }
            let opened = try await StoreFactory.open(store)
            var tenantID: String?
            if let tenant {
                tenantID = try await DirectoryAdministration(store: opened.store, hasher: opened.hasher).tenant(tenant).id
            }
            let page = try await opened.store.signIns(SignInQuery(
                tenantID: tenantID, since: start, userPrincipalName: user, appID: app, errorCode: errorCode, outcome: status,
                correlationID: correlationID, pageSize: top, after: after))
            OutputPrinter.print(.array(page.records.map(SignInJSON.value)), output: output,
                                tableRows: .array(page.records.map(SignInJSON.tableRow)))
            if let next = page.next {
                FileHandle.standardError.write(Data("More sign-ins match: add --skip-token \(next.token)\n".utf8))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one sign-in record.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only look in this tenant (id or name).") var tenant: String?
        @Option(help: "The record's id.") var id: String

        func run() async throws {
            let opened = try await StoreFactory.open(store)
            var tenantID: String?
            if let tenant {
                tenantID = try await DirectoryAdministration(store: opened.store, hasher: opened.hasher).tenant(tenant).id
            }
            guard let record = try await opened.store.signIn(id: id, tenantID: tenantID) else {
                throw CLIError("sign-in '\(id)' not found")
            }
            OutputPrinter.print(SignInJSON.value(record), output: output, tableRows: .array([SignInJSON.tableRow(record)]))
        }
    }
}

extension SignInQuery.Outcome: ExpressibleByArgument {}
