/// What `cluster create` asks for. Nil options were not given.
public struct ClusterRegistration: Sendable {
    public var name: String
    public var server: String
    public var certificateAuthorityPEM: String?
    public var enableAAD: Bool
    /// `--aad-admin-group-object-ids`; nil when not given.
    public var adminGroupObjectIDs: [String]?
    /// `--no-aad-admin-groups`: the operator knowingly creates an AAD cluster whose only way in
    /// is role assignments.
    public var acknowledgeNoAdminGroups: Bool
    /// `--aad-tenant-id`; the cluster's own tenant when nil.
    public var aadTenantID: String?
    public var enableAzureRBAC: Bool
    public var disableLocalAccounts: Bool
    public var disableRBAC: Bool
    /// `--audience`: the cluster's own token audience (needs AAD); nil for the shared one.
    public var audience: String?

    public init(name: String, server: String, certificateAuthorityPEM: String? = nil, enableAAD: Bool = false,
                adminGroupObjectIDs: [String]? = nil, acknowledgeNoAdminGroups: Bool = false, aadTenantID: String? = nil,
                enableAzureRBAC: Bool = false, disableLocalAccounts: Bool = false, disableRBAC: Bool = false,
                audience: String? = nil) {
        self.name = name
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.enableAAD = enableAAD
        self.adminGroupObjectIDs = adminGroupObjectIDs
        self.acknowledgeNoAdminGroups = acknowledgeNoAdminGroups
        self.aadTenantID = aadTenantID
        self.enableAzureRBAC = enableAzureRBAC
        self.disableLocalAccounts = disableLocalAccounts
        self.disableRBAC = disableRBAC
        self.audience = audience
    }
}

/// What `cluster update` asks for; nil leaves a setting as it is.
public struct ClusterUpdate: Sendable {
    public var enableAAD: Bool
    public var adminGroupObjectIDs: [String]?
    public var acknowledgeNoAdminGroups: Bool
    public var aadTenantID: String?
    /// true: `--enable-azure-rbac`, false: `--disable-azure-rbac`.
    public var azureRBAC: Bool?
    /// true: `--disable-local-accounts`, false: `--enable-local`.
    public var disableLocalAccounts: Bool?
    public var server: String?
    public var certificateAuthorityPEM: String?
    /// `--audience`: a new own token audience for the cluster.
    public var audience: String?
    /// `--shared-audience`: back to the audience every AKS cluster shares.
    public var sharedAudience: Bool

    public init(enableAAD: Bool = false, adminGroupObjectIDs: [String]? = nil, acknowledgeNoAdminGroups: Bool = false,
                aadTenantID: String? = nil, azureRBAC: Bool? = nil, disableLocalAccounts: Bool? = nil, server: String? = nil,
                certificateAuthorityPEM: String? = nil, audience: String? = nil, sharedAudience: Bool = false) {
        self.enableAAD = enableAAD
        self.adminGroupObjectIDs = adminGroupObjectIDs
        self.acknowledgeNoAdminGroups = acknowledgeNoAdminGroups
        self.aadTenantID = aadTenantID
        self.azureRBAC = azureRBAC
        self.disableLocalAccounts = disableLocalAccounts
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.audience = audience
        self.sharedAudience = sharedAudience
    }
}

/// A client certificate for the cluster's local admin account (`get-credentials --admin`).
public struct AdminCredential: Sendable {
    public var certificatePEM: String
    public var privateKeyPEM: String
    public var notAfter: Date
}

import Foundation

/// The registration rules AKS enforces (its documented limitations), as messages for operators.
public enum ClusterRules {
    /// `get-credentials --admin` on a cluster with local accounts disabled: AKS's exact message.
    public static let localAccountsDisabledMessage =
        "Getting static credential is not allowed because this cluster is set to disable local accounts."
    /// Lifetime of an `--admin` client certificate. Short on purpose: a leaked break-glass
    /// kubeconfig stops working within the hour, and fetching a new one is one command (which
    /// is refused, and audited, once local accounts are disabled).
    public static let adminCredentialLifetime: TimeInterval = 3600
    /// Lifetime of a cluster's local-account CA (`rotate-certs` replaces it sooner).
    public static let localAccountCALifetime: TimeInterval = 10 * 365 * 86_400
    /// Subject of admin certificates: `CN=masterclient, O=system:masters`, as AKS issues them.
    public static let adminCommonName = "masterclient"
    public static let adminOrganization = "system:masters"
}
