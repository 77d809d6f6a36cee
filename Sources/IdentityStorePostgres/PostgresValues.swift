import Foundation
import IdentityCore
internal import NIOCore
internal import PostgresNIO

/// A `timestamptz` value kept as whole milliseconds since 1970 (UTC).
///
/// PostgreSQL keeps microseconds; the store contract keeps milliseconds, rounded exactly as the
/// SQLite store does, so a date read back equals the one written on every backend. The wire
/// conversion is integer arithmetic (PostgresNIO's own `Date` codec goes through `Double` and
/// truncates, which can move a pre-2000 date by a microsecond).
struct PostgresTimestamp: PostgresNonThrowingEncodable, PostgresDecodable, Sendable, Hashable {
    /// 2000-01-01T00:00:00Z, PostgreSQL's epoch, in milliseconds since 1970.
    private static let postgresEpochMilliseconds: Int64 = 946_684_800_000

    var milliseconds: Int64

    init(_ date: Date) {
        milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    var date: Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer,
                                                  context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger((milliseconds - Self.postgresEpochMilliseconds) * 1000)
    }

    init<JSONDecoder: PostgresJSONDecoder>(from byteBuffer: inout ByteBuffer, type: PostgresDataType,
                                          format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>) throws {
        guard type == .timestamptz || type == .timestamp, format == .binary, byteBuffer.readableBytes == 8,
              let microseconds = byteBuffer.readInteger(as: Int64.self),
              microseconds != .max, microseconds != .min else { // ±infinity never belong to a record
            throw PostgresDecodingError.Code.typeMismatch
        }
        // Round half away from zero, as `init(_ date:)` does.
        let (quotient, remainder) = microseconds.quotientAndRemainder(dividingBy: 1000)
        let rounded = abs(remainder) >= 500 ? quotient + (remainder > 0 ? 1 : -1) : quotient
        milliseconds = rounded + Self.postgresEpochMilliseconds
    }
}

/// How domain values become parameters and back.
enum PostgresValues {
    static func timestamp(_ date: Date) -> PostgresTimestamp {
        PostgresTimestamp(date)
    }

    static func timestamp(_ date: Date?) -> PostgresTimestamp? {
        date.map(PostgresTimestamp.init)
    }

    /// Byte strings go over the wire as `bytea`. (`[UInt8]` alone would be ambiguous for
    /// PostgresNIO: it is also an array of `"char"`.)
    static func bytes(_ bytes: [UInt8]) -> ByteBuffer {
        ByteBuffer(bytes: bytes)
    }

    static func bytes(_ bytes: [UInt8]?) -> ByteBuffer? {
        bytes.map { ByteBuffer(bytes: $0) }
    }

    /// A string-to-string map as JSON text (bound as text, stored as `jsonb`).
    static func json(_ map: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(map), as: UTF8.self)
    }
}

/// Named, typed access to a row's columns; decoding failures become ``StoreError/invalidData``
/// (see `PostgresErrorMapping`).
struct PostgresColumns {
    private let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    private func cell(_ name: String) throws -> PostgresCell {
        guard row.contains(name) else { throw StoreError.invalidData("result has no column \(name)") }
        return row[name]
    }

    func string(_ name: String) throws -> String {
        try cell(name).decode(String.self)
    }

    func optionalString(_ name: String) throws -> String? {
        try cell(name).decode(String?.self)
    }

    func int(_ name: String) throws -> Int {
        try cell(name).decode(Int.self)
    }

    func int64(_ name: String) throws -> Int64 {
        try cell(name).decode(Int64.self)
    }

    func optionalInt64(_ name: String) throws -> Int64? {
        try cell(name).decode(Int64?.self)
    }

    func bool(_ name: String) throws -> Bool {
        try cell(name).decode(Bool.self)
    }

    func date(_ name: String) throws -> Date {
        try cell(name).decode(PostgresTimestamp.self).date
    }

    func optionalDate(_ name: String) throws -> Date? {
        try cell(name).decode(PostgresTimestamp?.self)?.date
    }

    func strings(_ name: String) throws -> [String] {
        try cell(name).decode([String].self)
    }

    func bytes(_ name: String) throws -> [UInt8] {
        var buffer = try cell(name).decode(ByteBuffer.self)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    func optionalBytes(_ name: String) throws -> [UInt8]? {
        guard var buffer = try cell(name).decode(ByteBuffer?.self) else { return nil }
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// A `jsonb` string map read as text (`column::text AS column`).
    func stringMap(_ name: String) throws -> [String: String] {
        let text = try string(name)
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        } catch {
            throw StoreError.invalidData("cannot decode stored JSON in \(name): \(error)")
        }
    }
}
