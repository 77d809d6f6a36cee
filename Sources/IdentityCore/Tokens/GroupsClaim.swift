/// The `groups` claim: transitive object ids of the groups the subject belongs to.
///
/// Above `overageLimit` ids (Entra: 200 in JWTs) the token carries no `groups` but Entra's
/// overage marker (`_claim_names`/`_claim_sources`) pointing at kubeid's Graph-compatible
/// `getMemberObjects` endpoint, so headers stay small (the token stays within 8 KiB).
public enum GroupsClaim: Sendable, Equatable {
    case groups([String])
    case overage(endpoint: String)

    public static let defaultOverageLimit = 200

    /// Chooses the form for `groupIDs`.
    /// - Parameter overageEndpoint: the URL to put in `_claim_sources` when over the limit.
    public static func make(groupIDs: [String], overageLimit: Int, overageEndpoint: String) -> GroupsClaim {
        groupIDs.count > overageLimit ? .overage(endpoint: overageEndpoint) : .groups(groupIDs)
    }
}
