import Foundation

/// A parsed JSON object with tolerant accessors: Entra sends `expires_in` as a number (v2) or a
/// string (v1), and other clients' quirks exist; callers ask for the type they need.
struct JSONObject: @unchecked Sendable {
    let members: [String: Any]

    init?(bytes: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        members = object
    }

    init(members: [String: Any]) { self.members = members }

    func string(_ name: String) -> String? { members[name] as? String }

    /// An integer given as a JSON number or as a decimal string.
    func integer(_ name: String) -> Int64? {
        switch members[name] {
        case let number as NSNumber where !(number is Bool): return number.int64Value
        case let text as String: return Int64(text)
        default: return nil
        }
    }

    func strings(_ name: String) -> [String]? { members[name] as? [String] }
}
