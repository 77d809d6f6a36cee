import Foundation

/// How both SQL stores keep PIM requests, schedules and policies: the whole value as JSON next
/// to the columns they query, so the two backends cannot drift on what a row means. Dates are
/// epoch milliseconds, the precision every store keeps.
public enum PrivilegedAccessRecordCoding {
    public static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError.invalidData("a privileged-access record could not be encoded: \(error)")
        }
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.invalidData("a stored privileged-access record is not readable: \(error)")
        }
    }
}
