import Foundation
import IdentityCore
internal import GRDB

/// How domain values become column values and back: dates as integer epoch milliseconds (UTC,
/// comparable in SQL), string lists and string maps as JSON text, byte strings as BLOBs, enums
/// as their raw text.
enum SQLiteValues {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func milliseconds(_ date: Date?) -> Int64? {
        date.map { milliseconds($0) }
    }

    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    static func json(_ strings: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(strings), as: UTF8.self)
    }

    /// Keys sorted, so equal maps are equal text.
    static func json(_ map: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(map), as: UTF8.self)
    }

    static func blob(_ bytes: [UInt8]) -> Data {
        Data(bytes)
    }

    static func blob(_ bytes: [UInt8]?) -> Data? {
        bytes.map { Data($0) }
    }
}

extension Row {
    func string(_ column: String) throws -> String {
        try decode(String.self, forColumn: column)
    }

    func optionalString(_ column: String) throws -> String? {
        try decode(String?.self, forColumn: column)
    }

    func int(_ column: String) throws -> Int {
        try decode(Int.self, forColumn: column)
    }

    func optionalInt64(_ column: String) throws -> Int64? {
        try decode(Int64?.self, forColumn: column)
    }

    func bool(_ column: String) throws -> Bool {
        try decode(Bool.self, forColumn: column)
    }

    func date(_ column: String) throws -> Date {
        SQLiteValues.date(milliseconds: try decode(Int64.self, forColumn: column))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try decode(Int64?.self, forColumn: column).map(SQLiteValues.date(milliseconds:))
    }

    func strings(_ column: String) throws -> [String] {
        let text = try decode(String.self, forColumn: column)
        return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    func stringMap(_ column: String) throws -> [String: String] {
        let text = try decode(String.self, forColumn: column)
        return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }

    func bytes(_ column: String) throws -> [UInt8] {
        [UInt8](try decode(Data.self, forColumn: column))
    }

    func optionalBytes(_ column: String) throws -> [UInt8]? {
        try decode(Data?.self, forColumn: column).map { [UInt8]($0) }
    }

    /// An enum stored as its raw text; an unknown value is `invalidData` (a newer schema wrote it).
    func rawValue<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws -> Value
    where Value.RawValue == String {
        let text = try decode(String.self, forColumn: column)
        guard let value = Value(rawValue: text) else {
            throw StoreError.invalidData("unknown \(column) \(text)")
        }
        return value
    }
}
