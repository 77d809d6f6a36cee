import Foundation
import IdentityCore
import OAuthProtocol

/// A PIM schedule request's create body, read as msgraph-sdk and Graph's documentation write it:
/// enum values in either casing (`selfActivate`, `SelfActivate`), durations ISO 8601 or as the
/// Python SDK writes a `timedelta` (`2:00:00`, `1 day, 0:00:00`), date-times with `Z`, an
/// offset, fractional seconds or no zone (UTC).
enum PrivilegedAccessRequestBody {
    static let allowed: Set<String> = [
        "accessId", "action", "groupId", "principalId", "justification", "scheduleInfo", "ticketInfo",
        "isValidationOnly", "customData", "targetScheduleId", "status",
    ]

    static func submission(_ call: GraphCall, kind: PrivilegedAccessSchedule.Kind) throws -> PrivilegedAccessSubmission {
        try call.rejectUnknownProperties(allowed: allowed)
        guard let access = PrivilegedAccessSchedule.Access(rawValue: try call.string("accessId").lowercased()) else {
            throw GraphError.badRequest("Property 'accessId' must be 'member' or 'owner'.")
        }
        let actionText = try call.string("action")
        guard let action = PrivilegedAccessRequest.Action(rawValue: camelCase(actionText)) else {
            throw GraphError.badRequest("Property 'action' has an unknown value '\(actionText)'.")
        }
        guard let groupID = ObjectID.canonical(try call.string("groupId")) else {
            throw GraphError.badRequest("Property 'groupId' must be an object id (GUID).")
        }
        guard let principalID = ObjectID.canonical(try call.string("principalId")) else {
            throw GraphError.badRequest("Property 'principalId' must be an object id (GUID).")
        }
        var submission = PrivilegedAccessSubmission(kind: kind, action: action, groupID: groupID, principalID: principalID,
                                                    access: access, justification: try call.optionalString("justification"),
                                                    isValidationOnly: try call.optionalBool("isValidationOnly") ?? false)
        if let ticket = try call.optionalObject("ticketInfo") {
            submission.ticketNumber = try string(ticket["ticketNumber"], "ticketInfo.ticketNumber")
            submission.ticketSystem = try string(ticket["ticketSystem"], "ticketInfo.ticketSystem")
        }
        let schedule = try call.optionalObject("scheduleInfo")
        if schedule == nil, !action.rawValue.hasSuffix("Remove"), action != .selfDeactivate {
            throw GraphError.badRequest("Property 'scheduleInfo' is required.")
        }
        if let schedule {
            if let start = try string(schedule["startDateTime"], "scheduleInfo.startDateTime") {
                submission.startsAt = try date(start, "scheduleInfo.startDateTime")
            }
            if let recurrence = schedule["recurrence"], recurrence != .null { submission.hasRecurrence = true }
            if case .object(let members)? = schedule["expiration"] {
                let expiration = Dictionary(members, uniquingKeysWith: { $1 })
                if let type = try string(expiration["type"], "scheduleInfo.expiration.type") {
                    guard let parsed = PrivilegedAccessWindow.Expiration(rawValue: camelCase(type)) else {
                        throw GraphError.badRequest("Property 'scheduleInfo.expiration.type' has an unknown value '\(type)'.")
                    }
                    submission.expiration = parsed
                }
                if let duration = try string(expiration["duration"], "scheduleInfo.expiration.duration") {
                    guard let seconds = PrivilegedAccessDuration.parse(duration) else {
                        throw GraphError.badRequest("Property 'scheduleInfo.expiration.duration' must be an ISO 8601 duration such as PT2H (got '\(duration)').")
                    }
                    submission.duration = seconds
                }
                if let end = try string(expiration["endDateTime"], "scheduleInfo.expiration.endDateTime") {
                    submission.endsAt = try date(end, "scheduleInfo.expiration.endDateTime")
                }
            } else if let other = schedule["expiration"], other != .null {
                throw GraphError.badRequest("Property 'scheduleInfo.expiration' must be an object.")
            }
        }
        return submission
    }

    /// `SelfActivate` → `selfActivate`; the wire's enum values differ only in the first letter.
    static func camelCase(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }

    static func string(_ value: JSONValue?, _ name: String) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw GraphError.badRequest("Property '\(name)' must be a string.")
        }
    }

    /// An ISO 8601 date-time; fractions beyond milliseconds are cut, no zone means UTC.
    static func date(_ text: String, _ name: String) throws -> Date {
        var normalised = text
        if let dot = normalised.firstIndex(of: ".") {
            let fraction = normalised[normalised.index(after: dot)...].prefix { $0.isNumber }
            let rest = normalised[normalised.index(after: dot)...].dropFirst(fraction.count)
            normalised = String(normalised[..<dot]) + "." + String(fraction.prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0) + rest
        }
        let timePart = normalised.split(separator: "T").last ?? ""
        if !timePart.contains("Z"), !timePart.contains("+"), !timePart.contains("-") { normalised += "Z" }
        guard let date = GraphDate.parse(normalised) else {
            throw GraphError.badRequest("Property '\(name)' must be an ISO 8601 date-time such as 2026-01-01T10:00:00Z (got '\(text)').")
        }
        return date
    }
}
