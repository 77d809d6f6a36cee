import OAuthProtocol

/// What a principal has been granted on Microsoft Graph: the `roles` of its app-only tokens
/// and the directory roles (`wids`) of a person's tokens. Read from the store on every token
/// for Graph, never cached: a revoked permission is gone from the next token.
public struct GrantedPermissions: Sendable {
    let store: any IdentityStore
    let directory: DirectoryView

    public init(store: any IdentityStore, directory: DirectoryView) {
        self.store = store
        self.directory = directory
    }

    /// The app role values `principalID` holds on `resource`, in catalogue order. Only
    /// Microsoft Graph defines app roles here, so other resources yield none.
    public func appRoles(tenantID: String, principalID: String, resource: Application) async throws -> [String] {
        guard resource.appID == WellKnownApplications.graphAppID,
              let graph = try await directory.client(tenantID: tenantID, clientID: resource.appID)?.servicePrincipal else {
            return []
        }
        let granted = Set(try await store.appRoleAssignments(tenantID: tenantID, principalID: principalID)
            .filter { $0.resourceID == graph.objectID }.map(\.appRoleID))
        return GraphPermission.all.filter { granted.contains($0.appRoleID) }.map(\.name)
    }

    /// The template ids of the directory roles `userObjectID` holds, sorted.
    public func directoryRoleTemplateIDs(tenantID: String, userObjectID: String) async throws -> [String] {
        Array(Set(try await store.directoryRoleAssignments(tenantID: tenantID, principalID: userObjectID)
            .map(\.roleTemplateID))).sorted()
    }
}
