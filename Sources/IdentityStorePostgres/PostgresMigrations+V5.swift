/// Migration "v5-cluster-audience": a cluster's own token audience (`Cluster.audience`, null for
/// the shared AKS server app id). `clusters` already has its version trigger from "v2-clusters",
/// so changing it reaches every instance's cache.
extension PostgresMigrations {
    static func v5ClusterAudience(schema: String) -> [String] {
        [#"ALTER TABLE clusters ADD COLUMN audience text COLLATE "C""#]
    }
}
