import Cryptography
import Foundation
import IdentityCore
import OAuthProtocol

/// How clusters, role assignments and role definitions print: the members `az aks show`,
/// `az role assignment` and `az role definition` print, in az's (alphabetical) order.
enum ClusterJSON {
    static func cluster(_ cluster: Cluster) -> JSONValue {
        var aad: JSONValue = .null
        if let profile = cluster.aadProfile {
            aad = .object([
                ("adminGroupObjectIds", .strings(profile.adminGroupObjectIDs)),
                ("clientAppId", .null),
                ("enableAzureRbac", .bool(profile.azureRBACEnabled)),
                ("managed", .bool(true)),
                ("serverAppId", .null),
                ("serverAppSecret", .null),
                ("tenantId", .string(profile.tenantID)),
            ])
        }
        let fingerprint = (try? Certificate(pem: cluster.localAccountCA.certificatePEM))
            .map { $0.sha256Thumbprint.map { String(format: "%02X", $0) }.joined(separator: ":") }
        return .object([
            ("aadProfile", aad),
            // kubeid's own: the cluster's token audience (null: the AKS server app id all clusters share).
            ("audience", cluster.audience.map(JSONValue.string) ?? .null),
            ("createdAt", DirectoryJSON.date(cluster.createdAt)),
            ("disableLocalAccounts", .bool(cluster.localAccountsDisabled)),
            ("enableRbac", .bool(cluster.rbacEnabled)),
            ("id", .string(cluster.resourceID)),
            ("localAccountCaFingerprint", fingerprint.map(JSONValue.string) ?? .null),
            ("name", .string(cluster.name)),
            ("server", .string(cluster.server)),
            ("tenantId", .string(cluster.tenantID)),
            ("type", .string("Microsoft.ContainerService/ManagedClusters")),
            ("webhookTokenIssued", .bool(cluster.webhookTokenHash != nil)),
        ])
    }

    /// The columns `-o table` shows (as az picks a few for `az aks list -o table`).
    static func clusterRow(_ cluster: Cluster) -> JSONValue {
        .object([("name", .string(cluster.name)), ("tenantId", .string(cluster.tenantID)), ("server", .string(cluster.server)),
                 ("aad", .bool(cluster.aadProfile != nil)), ("azureRbac", .bool(cluster.aadProfile?.azureRBACEnabled ?? false)),
                 ("localAccounts", .bool(!cluster.localAccountsDisabled))])
    }

    static func roleAssignmentRow(_ details: RoleAssignmentDetails) -> JSONValue {
        .object([("principal", .string(details.principalName ?? details.assignment.principalID)),
                 ("role", .string(details.role.name)), ("scope", .string(details.scope.resourceID))])
    }

    static func roleAssignment(_ details: RoleAssignmentDetails) -> JSONValue {
        .object([
            ("createdOn", DirectoryJSON.date(details.assignment.createdAt)),
            ("id", .string(details.resourceID)),
            ("name", .string(details.assignment.id)),
            ("principalId", .string(details.assignment.principalID)),
            ("principalName", details.principalName.map(JSONValue.string) ?? .null),
            ("principalType", .string(details.assignment.principalType.rawValue)),
            ("roleDefinitionId", .string(roleDefinitionResourceID(details.role))),
            ("roleDefinitionName", .string(details.role.name)),
            ("scope", .string(details.scope.resourceID)),
            ("type", .string("Microsoft.Authorization/roleAssignments")),
        ])
    }

    static func roleDefinition(_ role: RoleDefinition) -> JSONValue {
        .object([
            ("assignableScopes", .strings(["/"])),
            ("description", .string(role.description)),
            ("id", .string(roleDefinitionResourceID(role))),
            ("name", .string(role.id)),
            ("permissions", .array([.object([
                ("actions", .strings(role.actions)),
                ("dataActions", .strings(role.dataActions)),
                ("notActions", .strings([])),
                ("notDataActions", .strings(role.notDataActions)),
            ])])),
            ("roleName", .string(role.name)),
            ("roleType", .string("BuiltInRole")),
            ("type", .string("Microsoft.Authorization/roleDefinitions")),
        ])
    }

    static func roleDefinitionResourceID(_ role: RoleDefinition) -> String {
        "/providers/Microsoft.Authorization/roleDefinitions/\(role.id)"
    }
}
