import Foundation

/// The subset of OData `$filter` that `group list --filter` accepts:
/// `displayName eq 'Name'` and `mailNickname eq 'name'` (property names ignore case; values
/// compare exactly; `''` escapes a quote, as in OData).
struct GroupFilter {
    private let property: String
    private let value: String

    init(_ expression: String) throws {
        let pattern = #"^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: expression, range: NSRange(expression.startIndex..., in: expression)),
              let propertyRange = Range(match.range(at: 1), in: expression),
              let valueRange = Range(match.range(at: 2), in: expression) else {
            throw AdministrationError.invalidArgument("unsupported \(field: "filter") '\(expression)': use \"displayName eq 'Name'\"")
        }
        property = expression[propertyRange].lowercased()
        value = expression[valueRange].replacingOccurrences(of: "''", with: "'")
        guard ["displayname", "mailnickname"].contains(property) else {
            throw AdministrationError.invalidArgument("unsupported \(field: "filter") property '\(expression[propertyRange])': use displayName or mailNickname")
        }
    }

    func matches(_ group: Group) -> Bool {
        property == "displayname" ? group.displayName == value : group.mailNickname == value
    }
}
