import Foundation
import OAuthProtocol

/// A Kubernetes cluster registered with kubeid, the way `az aks create` registers a managed
/// cluster: where its API server is, whether it signs people in through kubeid (the AAD
/// profile), who its administrators are, and its local-account ("break-glass") certificate
/// authority.
///
/// Clusters are directory data: every write changes ``DirectoryChangeFeed/directoryVersion()``.
public struct Cluster: Sendable, Hashable {
    public var tenantID: String
    /// Internal key (GUID). Role assignments point at it, so a cluster deleted and created again
    /// under the same name does not inherit the old assignments.
    public var objectID: String
    /// Unique in the tenant ignoring ASCII case; part of the resource id.
    public var name: String
    /// The API server URL kubeconfigs point at, e.g. `https://10.0.0.1:6443`.
    public var server: String
    /// PEM of the CA that signed the API server's serving certificate (kubeconfig
    /// `certificate-authority-data`), when the operator gave one.
    public var certificateAuthorityPEM: String?
    /// Nil while AAD (kubeid) integration is off. Once on it cannot be turned off (as AKS).
    public var aadProfile: AADProfile?
    /// Kubernetes RBAC is on (AKS `--disable-rbac` turns it off; AAD needs it).
    public var rbacEnabled: Bool
    /// `--disable-local-accounts`: admin (client-certificate) credentials are refused.
    public var localAccountsDisabled: Bool
    /// Signs the `--admin` client certificates; its certificate is kube-apiserver's `--client-ca-file`.
    public var localAccountCA: LocalAccountCA
    /// Keyed hash (``SecretHasher``) of the bearer token kube-apiserver presents to the
    /// TokenReview and SubjectAccessReview webhooks; nil until `apiserver-config` issues one.
    public var webhookTokenHash: [UInt8]?
    /// The cluster's own token audience (`--audience`, e.g. `api://cluster-x`), registered as an
    /// identifier URI of the AKS server app in the AAD tenant; nil for the audience every AKS
    /// cluster shares, the AKS server app id. With its own audience a cluster accepts only
    /// tokens minted for it, so a token for another cluster does not work here (RFC 9700 §2.3).
    public var audience: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(tenantID: String, objectID: String, name: String, server: String, certificateAuthorityPEM: String?,
                aadProfile: AADProfile?, rbacEnabled: Bool, localAccountsDisabled: Bool, localAccountCA: LocalAccountCA,
                webhookTokenHash: [UInt8]?, audience: String? = nil, createdAt: Date, updatedAt: Date) {
        self.tenantID = tenantID
        self.objectID = objectID
        self.name = name
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.aadProfile = aadProfile
        self.rbacEnabled = rbacEnabled
        self.localAccountsDisabled = localAccountsDisabled
        self.localAccountCA = localAccountCA
        self.webhookTokenHash = webhookTokenHash
        self.audience = audience
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The resource id, `/tenants/<tid>/clusters/<name>`: what `--scope` of a role assignment names.
    public var resourceID: String { ClusterScope.clusterResourceID(tenantID: tenantID, name: name) }

    /// The `aud` the cluster accepts: its own audience, else the AKS server app id.
    public var acceptedAudience: String { audience ?? WellKnownApplications.aksServerAppID }
}

/// AKS's managed AAD profile: kubeid signs the cluster's users in.
public struct AADProfile: Sendable, Hashable {
    /// Members (transitively) of these groups are cluster administrators.
    public var adminGroupObjectIDs: [String]
    /// The tenant whose tokens the cluster accepts (`tid`; v1 issuer `<issuer-url>/<tid>/`).
    public var tenantID: String
    /// Authorization by kubeid role assignments (the SubjectAccessReview webhook).
    public var azureRBACEnabled: Bool

    public init(adminGroupObjectIDs: [String], tenantID: String, azureRBACEnabled: Bool) {
        self.adminGroupObjectIDs = adminGroupObjectIDs
        self.tenantID = tenantID
        self.azureRBACEnabled = azureRBACEnabled
    }
}

/// The cluster's local-account certificate authority. The private key is stored only in the
/// database (0600 SQLite file, or PostgreSQL) and never printed.
public struct LocalAccountCA: Sendable, Hashable {
    public var certificatePEM: String
    public var privateKeyPEM: String

    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }
}
