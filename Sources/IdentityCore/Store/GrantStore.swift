/// Application permissions (app role assignments) and directory roles.
///
/// Both are directory data: every write changes ``DirectoryChangeFeed/directoryVersion()``.
/// The store does not check that the principal, the resource or the role exist; the domain does.
public protocol GrantStore: Sendable {
    /// Inserts an app role assignment. Throws `StoreError.alreadyExists` when the id is taken or
    /// the principal already holds this app role of this resource.
    func createAppRoleAssignment(_ assignment: AppRoleAssignment) async throws
    /// The app role assignment with this id in this tenant, or nil.
    func appRoleAssignment(tenantID: String, id: String) async throws -> AppRoleAssignment?
    /// The app role assignments granted to `principalID`, ordered by `createdAt`, then id.
    func appRoleAssignments(tenantID: String, principalID: String) async throws -> [AppRoleAssignment]
    /// The app role assignments of one resource (every principal), ordered by `createdAt`, then id.
    func appRoleAssignments(tenantID: String, resourceID: String) async throws -> [AppRoleAssignment]
    /// Deletes one app role assignment. Throws `StoreError.notFound` when there is no such assignment.
    func deleteAppRoleAssignment(tenantID: String, id: String) async throws

    /// Inserts a directory role assignment. Throws `StoreError.alreadyExists` when the id is
    /// taken or the principal already holds this role.
    func createDirectoryRoleAssignment(_ assignment: DirectoryRoleAssignment) async throws
    /// The directory role assignment with this id in this tenant, or nil.
    func directoryRoleAssignment(tenantID: String, id: String) async throws -> DirectoryRoleAssignment?
    /// The directory roles `principalID` holds, ordered by `createdAt`, then id.
    func directoryRoleAssignments(tenantID: String, principalID: String) async throws -> [DirectoryRoleAssignment]
    /// Every directory role assignment of the tenant, ordered by `createdAt`, then id.
    func listDirectoryRoleAssignments(tenantID: String) async throws -> [DirectoryRoleAssignment]
    /// Deletes one directory role assignment. Throws `StoreError.notFound` when there is no such assignment.
    func deleteDirectoryRoleAssignment(tenantID: String, id: String) async throws
}
