import Foundation

/// Computes transitive group membership: the groups a member belongs to directly, the groups
/// those belong to, and so on. The `groups` claim carries this closure, as Entra's does.
///
/// Only edges active at the instant asked about count, so a time-bound membership (a
/// just-in-time activation) counts inside its window and nowhere else.
public struct GroupMembershipResolver: Sendable {
    private let store: any GroupStore

    public init(store: any GroupStore) {
        self.store = store
    }

    /// Every group `memberID` belongs to at `instant`, directly or through nested groups, with
    /// the instants at which that answer can next change. Cycles (A in B, B in A) terminate:
    /// each group is visited once.
    public func closure(tenantID: String, memberID: String, at instant: Date) async throws -> GroupClosure {
        var found: Set<String> = []
        var frontier = [memberID]
        var earliestEnd: Date?
        var nextStart: Date?
        while let next = frontier.popLast() {
            for edge in try await store.memberships(tenantID: tenantID, directMemberID: next) {
                if let startsAt = edge.startsAt, instant < startsAt {
                    nextStart = min(nextStart ?? startsAt, startsAt)
                    continue
                }
                guard edge.isActive(at: instant) else { continue }
                if let endsAt = edge.endsAt { earliestEnd = min(earliestEnd ?? endsAt, endsAt) }
                if found.insert(edge.groupID).inserted { frontier.append(edge.groupID) }
            }
        }
        return GroupClosure(groupIDs: found.sorted(), earliestEnd: earliestEnd, nextStart: nextStart)
    }

    /// Every group `memberID` belongs to at `instant`, sorted.
    public func transitiveGroupIDs(tenantID: String, memberID: String, at instant: Date) async throws -> [String] {
        try await closure(tenantID: tenantID, memberID: memberID, at: instant).groupIDs
    }

    /// True if `candidateMemberID` is `groupID` itself or contains it through any edge that has
    /// not ended (a future edge would close the cycle when it starts): adding it to `groupID`
    /// would then close a cycle.
    public func wouldCreateCycle(tenantID: String, groupID: String, candidateMemberID: String, at instant: Date) async throws -> Bool {
        if groupID == candidateMemberID { return true }
        var seen: Set<String> = []
        var frontier = [groupID]
        while let next = frontier.popLast() {
            for edge in try await store.memberships(tenantID: tenantID, directMemberID: next)
            where !edge.hasEnded(at: instant) && seen.insert(edge.groupID).inserted {
                if edge.groupID == candidateMemberID { return true }
                frontier.append(edge.groupID)
            }
        }
        return false
    }
}
