import Cryptography
import Foundation

/// Directory object ids are lower-case GUIDs, as Entra prints them.
public enum ObjectID {
    /// A fresh random (v4) GUID in lower case.
    public static func make() -> String { UUID().uuidString.lowercased() }

    /// The canonical lower-case spelling of `text` when it is a GUID, else nil.
    public static func canonical(_ text: String) -> String? {
        UUID(uuidString: text).map { $0.uuidString.lowercased() }
    }

    /// A stable GUID for `name` within `namespace` (RFC 9562 §5.8 style, SHA-256 based), for
    /// ids that must be the same on every installation without being stored (a scope's id).
    public static func nameBased(namespace: String, name: String) -> String {
        var bytes = Array(Digest.sha256(Array("\(namespace)/\(name)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }
}
