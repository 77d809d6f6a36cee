/// Computes transitive group membership: the groups a member belongs to directly, the groups
/// those belong to, and so on. The `groups` claim carries this closure, as Entra's does.
public struct GroupMembershipResolver: Sendable {
    private let store: any GroupStore

    public init(store: any GroupStore) {
        self.store = store
    }

    /// Every group `memberID` belongs to, directly or through nested groups, sorted.
    /// Cycles (A in B, B in A) terminate: each group is visited once.
    public func transitiveGroupIDs(tenantID: String, memberID: String) async throws -> [String] {
        var found: Set<String> = []
        var frontier = [memberID]
        while let next = frontier.popLast() {
            for groupID in try await store.groupIDs(tenantID: tenantID, directMemberID: next)
            where found.insert(groupID).inserted {
                frontier.append(groupID)
            }
        }
        return found.sorted()
    }

    /// True if `candidateMemberID` is `groupID` itself or already contains it (transitively):
    /// adding it to `groupID` would then close a cycle.
    public func wouldCreateCycle(tenantID: String, groupID: String, candidateMemberID: String) async throws -> Bool {
        if groupID == candidateMemberID { return true }
        return try await transitiveGroupIDs(tenantID: tenantID, memberID: groupID).contains(candidateMemberID)
    }
}
