import Foundation

/// An application permission granted with admin consent: the app role `appRoleID` of the
/// resource service principal `resourceID` (e.g. Microsoft Graph's `User.Read.All`) assigned to
/// a principal. Client-credentials tokens for that resource carry the role's value in `roles`.
/// Graph's `appRoleAssignment` resource.
public struct AppRoleAssignment: Sendable, Hashable, Codable {
    public enum PrincipalKind: String, Sendable, Codable, CaseIterable {
        case user = "User"
        case group = "Group"
        case servicePrincipal = "ServicePrincipal"
    }

    /// Lower-case GUID.
    public var id: String
    public var tenantID: String
    /// Object id of the user, group or service principal the permission is granted to.
    public var principalID: String
    public var principalKind: PrincipalKind
    /// Object id of the resource's service principal.
    public var resourceID: String
    /// The app role's id (for Graph, Microsoft's published permission id).
    public var appRoleID: String
    public var createdAt: Date

    public init(id: String, tenantID: String, principalID: String, principalKind: PrincipalKind,
                resourceID: String, appRoleID: String, createdAt: Date) {
        self.id = id
        self.tenantID = tenantID
        self.principalID = principalID
        self.principalKind = principalKind
        self.resourceID = resourceID
        self.appRoleID = appRoleID
        self.createdAt = createdAt
    }
}
