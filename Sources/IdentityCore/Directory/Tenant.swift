import Foundation

/// A directory: the unit that owns users, groups and applications, and the `{tenant}` in every
/// endpoint path. Its id is the GUID that tokens carry in `tid`; its name is an alias that paths
/// may use instead (like an Entra verified domain).
public struct Tenant: Sendable, Hashable, Codable {
    /// Lower-case GUID; `tid` in tokens.
    public var id: String
    /// Unique, case-insensitive alias such as `contoso` or `contoso.test`.
    public var name: String
    public var createdAt: Date

    public init(id: String, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}
