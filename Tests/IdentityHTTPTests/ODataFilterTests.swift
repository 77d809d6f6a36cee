import Foundation
@testable import IdentityHTTP
import OAuthProtocol
import Testing

@Suite("OData $filter")
struct ODataFilterTests {
    static let user: JSONValue = .object([
        ("id", .string("7a4d2c1e-0000-4000-8000-000000000001")),
        ("displayName", .string("Adele Vance")),
        ("accountEnabled", .bool(true)),
        ("createdDateTime", .string("2026-03-04T05:06:07Z")),
        ("groupTypes", .strings(["Unified"])),
        ("status", .object([("errorCode", .integer(53000))])),
        ("mail", .null),
    ])

    @Test(arguments: [
        ("displayName eq 'adele vance'", true),
        ("displayName ne 'Adele Vance'", false),
        ("startsWith(displayName,'ADE')", true),
        ("endswith(displayName, 'vance')", true),
        ("accountEnabled eq true and displayName eq 'x'", false),
        ("accountEnabled eq false or displayName eq 'Adele Vance'", true),
        ("not (accountEnabled eq false)", true),
        ("displayName in ('Bob', 'Adele Vance')", true),
        ("createdDateTime ge 2026-01-01T00:00:00Z and createdDateTime le 2026-12-31T00:00:00+00:00", true),
        ("createdDateTime lt 2026-03-04T05:06:07Z", false),
        ("status/errorCode eq 53000", true),
        ("groupTypes/any(c:c eq 'unified')", true),
        ("groupTypes/any(c:c eq 'DynamicMembership')", false),
        ("mail eq null", true),
        ("id eq 7a4d2c1e-0000-4000-8000-000000000001", true),
        ("displayName eq 'it''s'", false),
    ])
    func evaluates(_ filter: String, _ expected: Bool) throws {
        #expect(try ODataFilter.parse(filter).matches(Self.user) == expected)
    }

    @Test(arguments: ["displayName eq", "startsWith(displayName", "displayName like 'x'", "displayName eq 'open", "(a eq 1",
                      "a eq 1 b", "groupTypes/all(c:c eq 'x')", ""])
    func refusesMalformedFilters(_ filter: String) {
        #expect(throws: (any Error).self) { _ = try ODataFilter.parse(filter) }
    }
}
