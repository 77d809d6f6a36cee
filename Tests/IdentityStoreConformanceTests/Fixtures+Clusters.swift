import Foundation
import IdentityCore

extension Fixtures {
    static func cluster(tenantID: String = tenantID, objectID: String = ObjectID.make(), name: String,
                        aad: Bool = true, createdAt: Date = epoch) -> Cluster {
        Cluster(tenantID: tenantID, objectID: objectID, name: name, server: "https://\(name.lowercased()).test:6443",
                certificateAuthorityPEM: aad ? "-----BEGIN CERTIFICATE-----\n\(name)\n-----END CERTIFICATE-----\n" : nil,
                aadProfile: aad ? AADProfile(adminGroupObjectIDs: ["g-admins", "g-ops"], tenantID: tenantID, azureRBACEnabled: true) : nil,
                rbacEnabled: true, localAccountsDisabled: false,
                localAccountCA: LocalAccountCA(certificatePEM: "-----BEGIN CERTIFICATE-----\nca-\(name)\n-----END CERTIFICATE-----\n",
                                               privateKeyPEM: "-----BEGIN PRIVATE KEY-----\nkey-\(name)\n-----END PRIVATE KEY-----\n"),
                webhookTokenHash: aad ? [0x00, 0x01, 0xfe, 0xff] : nil, audience: aad ? "api://\(name.lowercased())" : nil,
                createdAt: createdAt, updatedAt: createdAt)
    }

    static func roleAssignment(tenantID: String = tenantID, id: String = ObjectID.make(), cluster: Cluster,
                               principalID: String = "p", principalType: RoleAssignment.PrincipalType = .user,
                               role: String = RoleDefinition.aksRBACReader.id,
                               namespace: String? = nil, createdAt: Date = epoch) -> RoleAssignment {
        RoleAssignment(id: id, tenantID: tenantID, roleDefinitionID: role, principalID: principalID, principalType: principalType,
                       clusterObjectID: cluster.objectID, namespace: namespace, createdAt: createdAt)
    }
}
