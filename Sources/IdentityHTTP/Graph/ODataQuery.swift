import Foundation
import HTTPTypes
import Hummingbird
import IdentityCore
import OAuthProtocol

/// The OData system query options of one Graph request, validated: `$select`, `$top`,
/// `$filter`, `$orderby`, `$count`, `$skiptoken`, `$search` (refused with a clear message), and
/// the `ConsistencyLevel: eventual` header that Graph's advanced queries require.
struct ODataQuery: Sendable {
    var select: [String]?
    var top: Int?
    var filter: ODataFilter?
    /// The raw `$filter`, carried into `@odata.nextLink`.
    var filterText: String?
    var orderBy: [(property: String, descending: Bool)] = []
    var count = false
    /// Where the page starts: an offset into the filtered, ordered collection.
    var skip = 0
    /// Opaque continuation for stores that page themselves (the sign-in log).
    var skipToken: String?
    var consistencyLevelEventual = false
    /// `$expand`, accepted only where a resource renders it (``expandablePaths``).
    var expand: String?

    static let maximumTop = 999
    /// Paths whose handlers honour `$expand` (PIM's policy assignments expand their policy).
    static let expandablePaths = ["/v1.0/policies/roleManagementPolicyAssignments", "/v1.0/policies/roleManagementPolicies"]

    init(request: Request) throws {
        let parameters = try GraphQueryString.parameters(request)
        consistencyLevelEventual = request.headers[HTTPField.Name("ConsistencyLevel")!]?.lowercased() == "eventual"
        for (rawKey, value) in parameters {
            let key = rawKey.lowercased()
            guard key.hasPrefix("$") else { continue }
            switch key {
            case "$select":
                select = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            case "$top":
                guard let top = Int(value), top > 0 else {
                    throw GraphError.badRequest("Invalid value '\(value)' for query parameter $top: use a positive integer.")
                }
                self.top = min(top, Self.maximumTop)
            case "$filter":
                filterText = value
                filter = try ODataFilter.parse(value)
            case "$orderby":
                orderBy = try value.split(separator: ",").map { clause in
                    let parts = clause.split(separator: " ").map(String.init)
                    guard let property = parts.first, parts.count <= 2 else {
                        throw GraphError.badRequest("Invalid $orderby clause '\(clause)'.")
                    }
                    let direction = parts.count == 2 ? parts[1].lowercased() : "asc"
                    guard direction == "asc" || direction == "desc" else {
                        throw GraphError.badRequest("Invalid $orderby direction '\(parts[1])': use asc or desc.")
                    }
                    return (property, direction == "desc")
                }
            case "$count":
                guard ["true", "false"].contains(value.lowercased()) else {
                    throw GraphError.badRequest("Invalid value '\(value)' for $count: use true or false.")
                }
                count = value.lowercased() == "true"
            case "$skiptoken":
                skipToken = value
                if let offset = Self.offset(fromSkipToken: value) { skip = offset }
            case "$search":
                throw GraphError(status: 400, code: "Request_UnsupportedQuery",
                                 message: "$search is not supported by kubeid; use $filter with startsWith() instead.")
            case "$expand" where Self.expandablePaths.contains(where: request.uri.path.hasPrefix):
                expand = value
            case "$expand":
                throw GraphError(status: 400, code: "Request_UnsupportedQuery",
                                 message: "$expand is not supported by kubeid on this resource.")
            case "$skip":
                throw GraphError(status: 400, code: "Request_UnsupportedQuery",
                                 message: "$skip is not supported; follow @odata.nextLink instead.")
            case "$format":
                guard value.lowercased() == "json" else { throw GraphError.badRequest("Only $format=json is supported.") }
            default:
                throw GraphError.badRequest("Query option '\(rawKey)' is not supported.")
            }
        }
        if count && !consistencyLevelEventual {
            throw GraphError(status: 400, code: "Request_BadRequest",
                             message: "$count requires the ConsistencyLevel header set to eventual.")
        }
    }

    /// Orders, filters and pages `items`; returns the page, the total after filtering (for
    /// `@odata.count`) and whether more follow.
    func apply(to items: [JSONValue], defaultPageSize: Int) -> (page: [JSONValue], total: Int, hasMore: Bool) {
        var matching = filter.map { filter in items.filter(filter.matches) } ?? items
        if !orderBy.isEmpty {
            matching.sort { left, right in
                for (property, descending) in orderBy {
                    let a = Self.sortKey(left, property), b = Self.sortKey(right, property)
                    if a != b { return descending ? a > b : a < b }
                }
                return false
            }
        }
        let size = top ?? defaultPageSize
        let start = min(skip, matching.count)
        let end = min(start + size, matching.count)
        return (Array(matching[start..<end]), matching.count, end < matching.count)
    }

    /// `$select` applied to one rendered object (`id` and `@odata.type` always stay, as Graph keeps them).
    func selecting(_ object: JSONValue) -> JSONValue {
        guard let select, case .object(let members) = object else { return object }
        let wanted = Set(select.map { $0.lowercased() })
        return .object(members.filter { wanted.contains($0.0.lowercased()) || $0.0 == "id" || $0.0 == "@odata.type" })
    }

    static func skipToken(offset: Int) -> String { "o\(offset)" }

    static func offset(fromSkipToken token: String) -> Int? {
        guard token.hasPrefix("o"), let offset = Int(token.dropFirst()), offset >= 0 else { return nil }
        return offset
    }

    private static func sortKey(_ object: JSONValue, _ property: String) -> String {
        guard case .object(let members) = object,
              let value = members.first(where: { $0.0.lowercased() == property.lowercased() })?.1 else { return "" }
        switch value {
        case .string(let text): return text.lowercased()
        case .number(let number): return String(format: "%020.6f", number)
        case .bool(let flag): return flag ? "1" : "0"
        default: return ""
        }
    }
}
