import Foundation

/// The tenant-local identity of an application: what signs in with client credentials and
/// what `oid`/`sub` name in app tokens.
public struct ServicePrincipal: Sendable, Hashable, Codable {
    public var tenantID: String
    /// `oid` and `sub` of app tokens; a group member id.
    public var objectID: String
    public var appID: String
    public var displayName: String
    /// A disabled principal cannot sign in.
    public var accountEnabled: Bool
    public var createdAt: Date

    public init(tenantID: String, objectID: String, appID: String, displayName: String,
                accountEnabled: Bool = true, createdAt: Date) {
        self.tenantID = tenantID
        self.objectID = objectID
        self.appID = appID
        self.displayName = displayName
        self.accountEnabled = accountEnabled
        self.createdAt = createdAt
    }
}
