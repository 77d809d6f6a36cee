import Foundation

/// A directory role (Global Administrator, Groups Administrator, ...) held by a user at tenant
/// scope. Delegated tokens carry the role template ids in `wids`; Graph checks them together
/// with the token's scopes. Graph's `unifiedRoleAssignment` with `directoryScopeId` "/".
public struct DirectoryRoleAssignment: Sendable, Hashable, Codable {
    /// Lower-case GUID.
    public var id: String
    public var tenantID: String
    /// The role's template id (Entra's published id, e.g. Global Administrator's `62e90394-…`).
    public var roleTemplateID: String
    /// Object id of the user holding the role.
    public var principalID: String
    public var createdAt: Date

    public init(id: String, tenantID: String, roleTemplateID: String, principalID: String, createdAt: Date) {
        self.id = id
        self.tenantID = tenantID
        self.roleTemplateID = roleTemplateID
        self.principalID = principalID
        self.createdAt = createdAt
    }
}
