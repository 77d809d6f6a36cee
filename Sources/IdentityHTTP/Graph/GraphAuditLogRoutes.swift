import Foundation
import Hummingbird
import IdentityCore
import OAuthProtocol

/// `/v1.0/auditLogs/signIns` (the sign-in log, newest first, paged in the store) and
/// `/v1.0/auditLogs/directoryAudits` (the administration trail in Graph's `directoryAudit` shape).
struct GraphAuditLogRoutes {
    let endpoint: GraphEndpoint

    /// Graph's page size for sign-ins: 1,000 by default and at most.
    static let signInPageSize = 1000

    func register(on router: Router<IdentityRequestContext>) {
        router.get("/v1.0/auditLogs/signIns") { request, context in
            await endpoint.handle(request, context, rule: .readAuditLogs) { call in
                try await signIns(call)
            }
        }
        router.get("/v1.0/auditLogs/signIns/{id}") { request, context in
            await endpoint.handle(request, context, rule: .readAuditLogs) { call in
                guard let record = try await endpoint.issuer.store.signIn(id: try call.parameter("id"), tenantID: call.tenantID) else {
                    throw GraphError.notFound
                }
                return .entity(try Self.render(record), context: "auditLogs/signIns/$entity")
            }
        }
        router.get("/v1.0/auditLogs/directoryAudits") { request, context in
            await endpoint.handle(request, context, rule: .readAuditLogs) { call in
                let events = try await endpoint.issuer.store.auditEvents(tenantID: call.tenantID, since: .distantPast, limit: 100_000)
                var rendered: [JSONValue] = []
                for event in events.reversed() where DirectoryAuditShape.isDirectoryChange(event) {
                    rendered.append(try await DirectoryAuditShape.render(event, store: endpoint.issuer.store))
                }
                return .collection(rendered, context: "auditLogs/directoryAudits")
            }
        }
    }

    /// The comparisons the store answers itself become a ``SignInQuery``; the whole filter is
    /// still applied to each page, so a form the store cannot narrow (`startsWith`, `or`) is
    /// right too, only on pages that may come back shorter.
    private func signIns(_ call: GraphCall) async throws -> GraphReply {
        var query = SignInQuery(tenantID: call.tenantID, pageSize: call.query.top.map { min($0, Self.signInPageSize) } ?? Self.signInPageSize)
        if let token = call.query.skipToken {
            guard let cursor = SignInCursor(token: token) else { throw GraphError.badRequest("Invalid $skiptoken.") }
            query.after = cursor
        }
        for conjunct in call.query.filter?.conjuncts ?? [] {
            guard case .compare(let path, let comparison, let literal) = conjunct else { continue }
            let name = path.map { $0.lowercased() }.joined(separator: "/")
            switch (name, comparison, literal) {
            case ("createddatetime", .ge, .date(let date)): query.since = date
            case ("createddatetime", .le, .date(let date)): query.until = date
            case ("userid", .eq, .string(let id)): query.userID = ObjectID.canonical(id) ?? id
            case ("userprincipalname", .eq, .string(let upn)): query.userPrincipalName = upn
            case ("appid", .eq, .string(let id)): query.appID = ObjectID.canonical(id) ?? id
            case ("status/errorcode", .eq, .number(let code)): query.errorCode = Int(code)
            case ("conditionalaccessstatus", .eq, .string(let status)): query.conditionalAccessStatus = status
            case ("correlationid", .eq, .string(let id)): query.correlationID = id
            default: continue
            }
        }
        let page = try await endpoint.issuer.store.signIns(query)
        var rendered = try page.records.map(Self.render)
        if let filter = call.query.filter { rendered = rendered.filter(filter.matches) }
        return .page(rendered, context: "auditLogs/signIns", next: page.next?.token)
    }

    /// Graph's `signIn` JSON: the record's own coding, with dates as ISO 8601 text (the store's
    /// coding writes epoch milliseconds, which no Graph client reads as a date).
    static func render(_ record: SignInRecord) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(GraphDate.format(date))
        }
        return try GraphRequestBody.value(Array(try encoder.encode(record)))
    }
}
