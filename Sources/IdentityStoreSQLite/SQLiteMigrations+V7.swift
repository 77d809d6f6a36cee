/// Migration "v7-cluster-audience": a cluster's own token audience (`Cluster.audience`, nil for
/// the shared AKS server app id). `clusters` already has version triggers from "v4-clusters", so
/// changing it reaches the server's cache.
extension SQLiteMigrations {
    static let v7ClusterAudience = """
        ALTER TABLE clusters ADD COLUMN audience TEXT;
        """
}
