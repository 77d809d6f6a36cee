import Foundation
import Logging
import OAuthProtocol
import Synchronization

/// `serve --log-format json`: one JSON object per line on standard error, for log shippers:
/// `time` (ISO 8601, UTC, milliseconds), `level`, `label`, `message`, then the metadata
/// (`request_id`, `route`, `status`... on request lines) as strings.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    /// One writer for the process, so lines from concurrent tasks never interleave.
    private static let output = Mutex(FileHandle.standardError)

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit { merged.merge(explicit) { _, new in new } }
        var members: [(String, JSONValue)] = [
            ("time", .string(Self.timestamp(Date()))), ("level", .string(level.rawValue)), ("label", .string(label)),
            ("message", .string(message.description)),
        ]
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) where !["time", "level", "label", "message"].contains(key) {
            members.append((key, .string(value.description)))
        }
        let line = JSONValue.object(members).serialized() + [UInt8(ascii: "\n")]
        Self.output.withLock { $0.write(Data(line)) }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
