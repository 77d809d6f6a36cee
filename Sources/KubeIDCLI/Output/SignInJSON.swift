import Foundation
import IdentityCore
import OAuthProtocol

/// Sign-in records as the CLI prints them: Graph's `signIn` JSON (dates as Graph writes them),
/// and a table row a person reads in a terminal.
enum SignInJSON {
    static func value(_ record: SignInRecord) -> JSONValue {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(GraphDate.format(date))
        }
        guard let data = try? encoder.encode(record),
              let object = try? JSONSerialization.jsonObject(with: data) else { return .null }
        return convert(object)
    }

    /// JSONSerialization's tree as a ``JSONValue``, keys sorted so output is stable.
    private static func convert(_ object: Any) -> JSONValue {
        switch object {
        case let dictionary as [String: Any]:
            return .object(dictionary.keys.sorted().map { ($0, convert(dictionary[$0]!)) })
        case let array as [Any]:
            return .array(array.map(convert))
        case let number as NSNumber:
            // JSONSerialization makes booleans NSNumbers of type char ("c"); numbers are never chars.
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            return .number(number.doubleValue)
        case let string as String:
            return .string(string)
        default:
            return .null
        }
    }

    static func tableRow(_ record: SignInRecord) -> JSONValue {
        let who = record.userPrincipalName ?? record.servicePrincipalName ?? record.servicePrincipalId ?? "-"
        let result = record.succeeded ? "success" : "failure \(record.status.errorCode)"
        return .object([
            ("Time", .string(GraphDate.format(record.createdDateTime))), ("Result", .string(result)),
            ("User or app", .string(who)), ("Application", .string(record.appDisplayName ?? record.appId ?? "-")),
            ("Resource", .string(record.resourceDisplayName ?? record.resourceId ?? "-")),
            ("Address", .string(record.ipAddress ?? "-")), ("Correlation id", .string(record.correlationId)),
        ])
    }
}
