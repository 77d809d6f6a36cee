/// Users.
///
/// User principal names are unique per tenant ignoring case, and stored as given. "Ignoring case"
/// folds the ASCII letters A-Z (UPNs are ASCII in practice); other characters compare exactly.
///
/// Users are directory data: every user write changes ``DirectoryChangeFeed/directoryVersion()``.
public protocol UserStore: Sendable {
    /// Inserts a user. Throws `StoreError.alreadyExists` if the object id, or the UPN (ignoring
    /// case) in the same tenant, is taken.
    func createUser(_ user: User) async throws
    /// The user with this object id in this tenant, or nil.
    func user(tenantID: String, objectID: String) async throws -> User?
    /// The user with this UPN (ignoring case) in this tenant, or nil.
    func user(tenantID: String, userPrincipalName: String) async throws -> User?
    /// Every user in the tenant, ordered by UPN (ignoring case).
    func listUsers(tenantID: String) async throws -> [User]
    /// Reads the user, passes it to `change` and stores the result atomically. `change` may run
    /// more than once and must only modify the value it is given; `tenantID` and `objectID`
    /// cannot change (the stored ones are kept whatever `change` sets). If `change` throws,
    /// nothing is stored and its error is rethrown unchanged. Returns the stored value.
    /// Throws `StoreError.notFound` when there is no such user, and `StoreError.alreadyExists`
    /// when the new UPN (ignoring case) belongs to another user of the tenant.
    @discardableResult
    func updateUser(tenantID: String, objectID: String, _ change: @Sendable (inout User) throws -> Void) async throws -> User
    /// Deletes the user, every group-membership edge naming it as a member of kind `.user`, every
    /// app role assignment naming it as principal of kind `.user` and every directory role
    /// assignment it holds, in its tenant, atomically. Refresh tokens are not touched (revoke
    /// them first with ``RefreshTokenStore/revokeRefreshTokens(tenantID:userObjectID:now:)``).
    /// Throws `StoreError.notFound` when there is no such user.
    func deleteUser(tenantID: String, objectID: String) async throws
}
