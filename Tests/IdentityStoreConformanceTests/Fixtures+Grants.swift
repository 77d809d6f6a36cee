import Foundation
import IdentityCore

extension Fixtures {
    /// Microsoft Graph's service principal stands in as the resource, and its `User.Read.All`
    /// application permission as the default app role.
    static let graphResourceID = "sp-graph"
    static let userReadAll = "df021288-bdef-4463-88db-98f22de89214"
    /// Global Administrator's template id.
    static let globalAdministrator = "62e90394-69f5-4237-9190-012177145e10"
    static let groupsAdministrator = "fdd7a751-b60b-444a-984c-02652fe8fa1c"

    static func appRoleAssignment(tenantID: String = tenantID, id: String = ObjectID.make(), principalID: String = "sp-client",
                                  kind: AppRoleAssignment.PrincipalKind = .servicePrincipal,
                                  resourceID: String = graphResourceID, appRoleID: String = userReadAll,
                                  createdAt: Date = epoch) -> AppRoleAssignment {
        AppRoleAssignment(id: id, tenantID: tenantID, principalID: principalID, principalKind: kind,
                          resourceID: resourceID, appRoleID: appRoleID, createdAt: createdAt)
    }

    static func directoryRoleAssignment(tenantID: String = tenantID, id: String = ObjectID.make(),
                                        role: String = globalAdministrator, principalID: String = "u-ada",
                                        createdAt: Date = epoch) -> DirectoryRoleAssignment {
        DirectoryRoleAssignment(id: id, tenantID: tenantID, roleTemplateID: role, principalID: principalID,
                                createdAt: createdAt)
    }
}
