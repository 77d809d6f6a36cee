/// Who an administration call acts for, as the audit trail names it: the `kubeid` command line
/// on the store's machine, or (for an HTTP admin API) the calling principal and its app.
public struct AdministrationActor: Sendable, Hashable {
    /// The audit trail's `actor`: `cli`, or the caller's object id.
    public var name: String
    /// The app the caller signed in with, for API calls.
    public var clientID: String?

    public init(name: String, clientID: String? = nil) {
        self.name = name
        self.clientID = clientID
    }

    /// The `kubeid` admin commands.
    public static let commandLine = AdministrationActor(name: "cli")

    /// A principal calling through an API with a token issued to `clientID`.
    public static func principal(objectID: String, clientID: String) -> AdministrationActor {
        AdministrationActor(name: objectID, clientID: clientID)
    }
}
