import Foundation
import Hummingbird
import IdentityCore
import OAuthProtocol

/// One authorised Graph request as a handler sees it: who calls, in which tenant, with which
/// OData options and body, and the administration services acting for that caller.
struct GraphCall: Sendable {
    let caller: GraphCaller
    let query: ODataQuery
    let parameters: Parameters
    let body: [String: JSONValue]
    let administration: DirectoryAdministration
    let objects: DirectoryObjects

    var tenantID: String { caller.tenant.id }

    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else { throw GraphError.badRequest("Missing path segment '\(name)'.") }
        return value.removingPercentEncoding ?? value
    }

    // MARK: Body

    /// A required string property.
    func string(_ name: String) throws -> String {
        guard let value = try optionalString(name) else {
            throw GraphError.badRequest("Property '\(name)' is required.")
        }
        return value
    }

    func optionalString(_ name: String) throws -> String? {
        switch body[name] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw GraphError.badRequest("Property '\(name)' must be a string.")
        }
    }

    func optionalBool(_ name: String) throws -> Bool? {
        switch body[name] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw GraphError.badRequest("Property '\(name)' must be a boolean.")
        }
    }

    func optionalObject(_ name: String) throws -> [String: JSONValue]? {
        switch body[name] {
        case nil, .null?: return nil
        case .object(let members)?: return Dictionary(members, uniquingKeysWith: { $1 })
        default: throw GraphError.badRequest("Property '\(name)' must be an object.")
        }
    }

    func optionalStrings(_ name: String) throws -> [String]? {
        switch body[name] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map { item in
                guard case .string(let text) = item else { throw GraphError.badRequest("Property '\(name)' must hold strings.") }
                return text
            }
        default: throw GraphError.badRequest("Property '\(name)' must be an array of strings.")
        }
    }

    /// Refuses properties kubeid cannot store, so a client never believes a change happened
    /// that did not. `@odata.type` and other annotations are always accepted.
    func rejectUnknownProperties(allowed: Set<String>) throws {
        for name in body.keys where !name.hasPrefix("@") && !name.contains("@odata.") && !allowed.contains(name) {
            throw GraphError.badRequest("Property '\(name)' is not supported on this resource by kubeid.")
        }
    }

    /// The object id at the end of a reference URL (`https://graph.microsoft.com/v1.0/directoryObjects/{id}`,
    /// any host, as the SDKs write Microsoft's host whatever they talk to).
    static func objectID(fromReference reference: String) throws -> String {
        let trimmed = reference.hasSuffix("/") ? String(reference.dropLast()) : reference
        guard let last = trimmed.split(separator: "/").last,
              let id = ObjectID.canonical(String(last).removingPercentEncoding ?? String(last)) else {
            throw GraphError.badRequest("Invalid object identifier '\(reference)'.")
        }
        return id
    }
}
