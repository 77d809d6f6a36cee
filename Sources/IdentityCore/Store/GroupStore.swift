/// Groups and the membership graph.
public protocol GroupStore: Sendable {
    /// Inserts a group. Throws `StoreError.alreadyExists` if the object id is taken.
    func createGroup(_ group: Group) async throws
    /// The group with this object id in this tenant, or nil.
    func group(tenantID: String, objectID: String) async throws -> Group?
    /// Every group in the tenant, ordered by display name then object id.
    func listGroups(tenantID: String) async throws -> [Group]
    /// Adds a direct membership edge. Throws `StoreError.notFound` if the group does not exist,
    /// `StoreError.alreadyExists` if the edge exists. The store does not check that the member
    /// exists or that no cycle forms; the domain (``DirectoryAdministration``) does.
    func addMember(_ membership: GroupMembership) async throws
    /// Removes a direct membership edge. Throws `StoreError.notFound` if there is no such edge.
    func removeMember(tenantID: String, groupID: String, memberID: String) async throws
    /// The direct members of a group, ordered by member id.
    func members(tenantID: String, groupID: String) async throws -> [GroupMembership]
    /// The ids of the groups `memberID` is a *direct* member of, ordered. Transitive closure is
    /// the domain's job (``GroupMembershipResolver``).
    func groupIDs(tenantID: String, directMemberID memberID: String) async throws -> [String]
}
