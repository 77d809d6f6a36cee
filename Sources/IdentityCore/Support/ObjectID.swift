import Foundation

/// Directory object ids are lower-case GUIDs, as Entra prints them.
public enum ObjectID {
    /// A fresh random (v4) GUID in lower case.
    public static func make() -> String { UUID().uuidString.lowercased() }

    /// The canonical lower-case spelling of `text` when it is a GUID, else nil.
    public static func canonical(_ text: String) -> String? {
        UUID(uuidString: text).map { $0.uuidString.lowercased() }
    }
}
