import Foundation
import IdentityCore
import OAuthProtocol

/// Reads a Graph request body: a JSON object (or nothing), at most 1 MiB.
enum GraphRequestBody {
    static let maximumSize = 1 << 20

    static func parse(_ bytes: [UInt8]) throws -> [String: JSONValue] {
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return [:] }
        let decoded: DecodedJSON
        do {
            decoded = try JSONDecoder().decode(DecodedJSON.self, from: Data(bytes))
        } catch {
            throw GraphError.badRequest("The request body is not valid JSON.")
        }
        guard case .object(let members) = decoded.value else {
            throw GraphError.badRequest("The request body must be a JSON object.")
        }
        return Dictionary(members, uniquingKeysWith: { $1 })
    }

    /// Any JSON document as a ``JSONValue`` (for records the store keeps as JSON).
    static func value(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONDecoder().decode(DecodedJSON.self, from: Data(bytes)).value
    }

    /// ``JSONValue`` through `Decodable`: booleans stay booleans (JSONSerialization on Linux
    /// blurs them with numbers).
    private struct DecodedJSON: Decodable {
        let value: JSONValue

        init(from decoder: any Decoder) throws {
            if let container = try? decoder.container(keyedBy: AnyKey.self) {
                value = .object(try container.allKeys.sorted { $0.stringValue < $1.stringValue }.map { key in
                    (key.stringValue, try container.decode(DecodedJSON.self, forKey: key).value)
                })
                return
            }
            if var container = try? decoder.unkeyedContainer() {
                var items: [JSONValue] = []
                while !container.isAtEnd { items.append(try container.decode(DecodedJSON.self).value) }
                value = .array(items)
                return
            }
            let single = try decoder.singleValueContainer()
            if single.decodeNil() { value = .null }
            else if let flag = try? single.decode(Bool.self) { value = .bool(flag) }
            else if let number = try? single.decode(Double.self) { value = .number(number) }
            else { value = .string(try single.decode(String.self)) }
        }
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
