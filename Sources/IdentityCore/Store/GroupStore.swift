/// Groups and the membership graph.
public protocol GroupStore: Sendable {
    /// Inserts a group. Throws `StoreError.alreadyExists` if the object id is taken.
    func createGroup(_ group: Group) async throws
    /// The group with this object id in this tenant, or nil.
    func group(tenantID: String, objectID: String) async throws -> Group?
    /// Every group in the tenant, ordered by display name then object id.
    func listGroups(tenantID: String) async throws -> [Group]
    /// Reads the group, passes it to `change` and stores the result atomically. `change` may run
    /// more than once and must only modify the value it is given; `tenantID`, `objectID` and
    /// `createdAt` cannot change (the stored ones are kept). If `change` throws, nothing is
    /// stored and its error is rethrown unchanged. Returns the stored value. Throws
    /// `StoreError.notFound` when there is no such group.
    @discardableResult
    func updateGroup(tenantID: String, objectID: String, _ change: @Sendable (inout Group) throws -> Void) async throws -> Group
    /// Deletes the group, every membership edge of it (as group or as member), every role
    /// assignment and app role assignment naming it as principal, atomically. Clusters that name
    /// it as an admin group keep the id (it then matches nobody). Throws `StoreError.notFound`
    /// when there is no such group.
    func deleteGroup(tenantID: String, objectID: String) async throws
    /// Adds a direct membership edge, time-bound or not. Throws `StoreError.notFound` if the
    /// group does not exist, `StoreError.alreadyExists` if an edge between the two exists (even
    /// one that has ended: remove it first). The store does not check that the member
    /// exists or that no cycle forms; the domain (``DirectoryAdministration``) does.
    func addMember(_ membership: GroupMembership) async throws
    /// Removes a direct membership edge. Throws `StoreError.notFound` if there is no such edge.
    func removeMember(tenantID: String, groupID: String, memberID: String) async throws
    /// The direct membership edges of a group, ordered by member id, with their windows: ended
    /// and future edges too (readers filter with ``GroupMembership/isActive(at:)``).
    func members(tenantID: String, groupID: String) async throws -> [GroupMembership]
    /// The edges that make `memberID` a *direct* member of a group, ordered by group id, with
    /// their windows (ended and future ones too). Transitive closure is the domain's job
    /// (``GroupMembershipResolver``).
    func memberships(tenantID: String, directMemberID memberID: String) async throws -> [GroupMembership]
}
