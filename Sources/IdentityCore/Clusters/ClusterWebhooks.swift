import Foundation

/// What kubeid's Kubernetes webhooks need: which cluster a call is for and whether the caller
/// is that cluster's kube-apiserver, then the TokenReview and SubjectAccessReview decisions.
public struct ClusterWebhooks: Sendable {
    let directory: DirectoryView
    let hasher: SecretHasher
    public let tokenReviewer: ClusterTokenReviewer
    public let authorizer: ClusterAuthorizer

    public init(directory: DirectoryView, hasher: SecretHasher, tokenReviewer: ClusterTokenReviewer, authorizer: ClusterAuthorizer) {
        self.directory = directory
        self.hasher = hasher
        self.tokenReviewer = tokenReviewer
        self.authorizer = authorizer
    }

    /// The cluster `tenantID`/`clusterName` names, if `bearer` is its webhook token (compared as
    /// keyed hashes in constant time); nil for an unknown cluster, a cluster without a webhook
    /// token, or a wrong token, so callers cannot tell which.
    public func authenticate(tenantID: String, clusterName: String, bearer: String?) async throws -> Cluster? {
        guard let bearer, !bearer.isEmpty, bearer.utf8.count <= 512, let tenant = ObjectID.canonical(tenantID),
              ClusterName.isValid(clusterName) else { return nil }
        guard let cluster = try await directory.cluster(tenantID: tenant, name: clusterName),
              let hash = cluster.webhookTokenHash else {
            // Spend the same hashing work as a real comparison.
            _ = hasher.matches(bearer, storedHash: [])
            return nil
        }
        return hasher.matches(bearer, storedHash: hash) ? cluster : nil
    }
}
